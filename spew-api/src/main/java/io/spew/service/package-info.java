/** Services: what appliances offer on a port, and the catalog of the instances that offer them. */
package io.spew.service;
