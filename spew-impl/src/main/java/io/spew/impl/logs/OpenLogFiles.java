package io.spew.impl.logs;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The logs whose files (the current file and its time index) are open, at most a fixed number:
 * when one more opens, the least recently written is closed, as is any not written for a few
 * seconds. A closed log opens its files again at its next output. Thread-safe; a log is closed
 * outside the lock, so that no two locks are ever taken in turn.
 */
final class OpenLogFiles {
    static final Duration IDLE = Duration.ofSeconds(5);

    private final int capacity;
    private final Clock clock;
    private final Map<RotatingLog, Instant> open = new LinkedHashMap<>(16, 0.75f, true); // guarded by this

    OpenLogFiles(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is below 1: " + capacity);
        }
        this.capacity = capacity;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Notes that {@code log} has written with its files open; closes the files of the logs to drop. */
    void written(RotatingLog log) {
        Instant now = clock.instant();
        List<RotatingLog> dropped = new ArrayList<>();
        synchronized (this) {
            open.put(log, now);
            Iterator<Map.Entry<RotatingLog, Instant>> oldest = open.entrySet().iterator();
            while (oldest.hasNext()) {
                Map.Entry<RotatingLog, Instant> entry = oldest.next();
                boolean idle = entry.getValue().plus(IDLE).isBefore(now);
                if (entry.getKey() == log || !(idle || open.size() > capacity)) {
                    break;
                }
                dropped.add(entry.getKey());
                oldest.remove();
            }
        }
        for (RotatingLog each : dropped) {
            each.closeIdleFiles();
        }
    }

    /** Forgets {@code log}, whose files are closed. */
    synchronized void closed(RotatingLog log) {
        open.remove(log);
    }

    synchronized int size() {
        return open.size();
    }
}
