package io.spew.service;

import java.util.List;

/** The catalog of the services offered by the instances of this host. */
public interface Services {
    /** Every service some appliance declares, sorted by name, with the addresses of its instances. */
    List<Service> list();
}
