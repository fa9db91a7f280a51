package io.spew.environment;

import java.time.Duration;

/**
 * How {@link Environments#start} waits.
 *
 * @param requiresTimeout how long an appliance waits for the instances it requires to run and be healthy
 * @param waitHealthy whether to return only once every instance runs and is healthy ({@code --wait})
 * @param user who asked, as {@code spew history} shows it; null for the user the engine runs as
 */
public record StartOptions(Duration requiresTimeout, boolean waitHealthy, String user) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public StartOptions {
        requiresTimeout = requiresTimeout == null ? DEFAULT_TIMEOUT : requiresTimeout;
        if (requiresTimeout.isNegative()) {
            throw new IllegalArgumentException("timeout is negative: " + requiresTimeout);
        }
        user = user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user;
    }

    /** Options of the user the engine runs as. */
    public StartOptions(Duration requiresTimeout, boolean waitHealthy) {
        this(requiresTimeout, waitHealthy, null);
    }

    public static StartOptions defaults() {
        return new StartOptions(DEFAULT_TIMEOUT, false);
    }
}
