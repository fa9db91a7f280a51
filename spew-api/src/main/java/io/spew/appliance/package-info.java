/** Appliances: templates that say how to run something. */
package io.spew.appliance;
