package io.spew.service;

import static java.util.Objects.requireNonNull;

/**
 * A service an appliance offers: {@code services: [{ name: riak, port: 8087, check: { tcp: 8087 } }]}.
 *
 * @param name the service's name, as in {@code ${service.NAME.addresses}}
 * @param port the port each instance listens on (may use {@code ${...}}, such as {@code ${port}})
 * @param check how to tell an instance is healthy, or null: healthy when running
 */
public record ServiceDefinition(String name, String port, HealthCheck check) {
    public ServiceDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(port, "port is null");
    }
}
