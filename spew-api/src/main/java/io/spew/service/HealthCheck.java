package io.spew.service;

/**
 * How Spew tells that an instance offering a service is healthy.
 *
 * @param tcp a port that must accept TCP connections on the host's address (may use {@code ${...}}),
 *     or null for none
 */
public record HealthCheck(String tcp) {}
