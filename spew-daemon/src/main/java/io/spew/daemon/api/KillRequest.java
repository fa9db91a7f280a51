package io.spew.daemon.api;

import io.spew.instance.Signal;

/**
 * The body of {@code POST /api/v1/instances/{ref}/kill}.
 *
 * @param signal the signal to send; SIGTERM when absent
 */
public record KillRequest(Signal signal) {
    public KillRequest {
        signal = signal == null ? Signal.SIGTERM : signal;
    }
}
