package io.spew.environment;

import java.time.Duration;

/**
 * How {@link Environments#start} waits.
 *
 * @param requiresTimeout how long an appliance waits for the instances it requires to run and be healthy
 * @param waitHealthy whether to return only once every instance runs and is healthy ({@code --wait})
 */
public record StartOptions(Duration requiresTimeout, boolean waitHealthy) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public StartOptions {
        requiresTimeout = requiresTimeout == null ? DEFAULT_TIMEOUT : requiresTimeout;
        if (requiresTimeout.isNegative()) {
            throw new IllegalArgumentException("timeout is negative: " + requiresTimeout);
        }
    }

    public static StartOptions defaults() {
        return new StartOptions(DEFAULT_TIMEOUT, false);
    }
}
