package io.spew.service;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How Spew tells that an instance offering a service is healthy: one probe ({@code tcp}, {@code http}
 * or {@code exec}) run every {@code interval}; {@code retries} failures in a row make the instance
 * unhealthy, one pass makes it healthy again; failures during {@code startGrace} after the instance
 * started do not count. Values may use {@code ${...}}.
 *
 * @param tcp a port that must accept TCP connections on the host's address, or {@code HOST:PORT}, or null
 * @param http a URL, or a path ({@code /health}) on the service's port on the host's address, that must
 *     answer with a 2xx or 3xx status, or null
 * @param exec a command run inside the instance (for a container, in its namespaces) that must exit with
 *     0, or null
 * @param interval the time between two probes
 * @param timeout how long one probe may take before it counts as failed
 * @param retries how many failures in a row make the instance unhealthy, 1 or more; 0 for the default (3)
 * @param startGrace how long after the instance started failures do not count
 */
public record HealthCheck(String tcp, String http, List<String> exec, Duration interval, Duration timeout, int retries,
        Duration startGrace) {
    /** The health of an instance whose appliance has no check, or that does not run. */
    public static final String NONE = "none";
    /** The health of an instance whose checks have not decided yet (within its start grace, or no verdict). */
    public static final String STARTING = "starting";
    /** The health of an instance whose every check passes. */
    public static final String HEALTHY = "healthy";
    /** The health of an instance one of whose checks failed {@code retries} times in a row. */
    public static final String UNHEALTHY = "unhealthy";

    /** The time between two probes unless {@code interval} says otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** How long a probe may take unless {@code timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** How many failures in a row make an instance unhealthy unless {@code retries} says otherwise. */
    public static final int DEFAULT_RETRIES = 3;

    public HealthCheck {
        exec = exec == null ? null : List.copyOf(exec);
        int probes = (tcp == null ? 0 : 1) + (http == null ? 0 : 1) + (exec == null ? 0 : 1);
        if (probes != 1) {
            throw new IllegalArgumentException("a health check has exactly one of tcp, http and exec, not " + probes);
        }
        if (exec != null && exec.isEmpty()) {
            throw new IllegalArgumentException("the command of an exec check is empty");
        }
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        startGrace = startGrace == null ? Duration.ZERO : startGrace;
        requirePositive(interval, "interval");
        requirePositive(timeout, "timeout");
        if (startGrace.isNegative()) {
            throw new IllegalArgumentException("start grace is negative: " + startGrace);
        }
        retries = retries == 0 ? DEFAULT_RETRIES : retries;
        if (retries < 1) {
            throw new IllegalArgumentException("retries must be 1 or more, not " + retries);
        }
    }

    /** A TCP check with the default interval, timeout, retries and no start grace. */
    public HealthCheck(String tcp) {
        this(requireNonNull(tcp, "tcp is null"), null, null, null, null, DEFAULT_RETRIES, null);
    }

    /** The probe, as people write it: {@code tcp 8087}, {@code http /health}, {@code exec test -f /ready}. */
    public String describe() {
        return tcp != null ? "tcp " + tcp : http != null ? "http " + http : "exec " + String.join(" ", exec);
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the " + what + " of a health check must be more than 0, not " + duration);
        }
    }
}
