package io.spew.impl.logs;

import java.time.Instant;

/**
 * Where reading a log begins; with both set, at the later of the two.
 *
 * @param tail how many of the last lines to start with, or -1 for no limit
 * @param since the time from which on to start, or null for no limit
 */
public record LogStart(int tail, Instant since) {
    /** From the oldest line kept. */
    public static final LogStart ALL = new LogStart(-1, null);

    public LogStart {
        if (tail < -1) {
            throw new IllegalArgumentException("tail must be -1 (all) or more, not " + tail);
        }
    }
}
