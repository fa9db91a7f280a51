package io.spew.service;

import java.util.List;

/**
 * The catalog of the services offered by the instances of every host of the cluster (of this host alone when
 * it is not in one), each at the address it is reached at from any host.
 */
public interface Services {
    /**
     * Every service some appliance applied here declares or some running instance of another host offers, sorted
     * by name, with the addresses of its healthy instances.
     */
    List<Service> list();
}
