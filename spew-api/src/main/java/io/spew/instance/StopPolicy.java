package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How an instance is stopped: this signal first, then SIGKILL once the timeout has passed. */
public record StopPolicy(Signal signal, Duration timeout) {
    public static final StopPolicy DEFAULT = new StopPolicy(Signal.SIGTERM, Duration.ofSeconds(10));

    public StopPolicy {
        requireNonNull(signal, "signal is null");
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stop timeout is negative: " + timeout);
        }
    }
}
