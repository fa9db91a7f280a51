/** Appliances: parsing, validation and the store of applied appliances. */
package io.spew.impl.appliance;
