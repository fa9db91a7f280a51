package io.spew.service;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One service of the catalog.
 *
 * @param name its name
 * @param addresses {@code ip:port} of each running (and, with a check, healthy) instance offering it, sorted
 * @param instances the names of those instances, sorted
 */
public record Service(String name, List<String> addresses, List<String> instances) {
    public Service {
        requireNonNull(name, "name is null");
        addresses = List.copyOf(addresses);
        instances = List.copyOf(instances);
    }
}
