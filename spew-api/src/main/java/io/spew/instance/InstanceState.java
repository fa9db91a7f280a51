package io.spew.instance;

import java.util.Locale;

/**
 * The states of DESIGN.md: {@code created → starting → running → stopping → stopped}, and
 * {@code crashed}, {@code restarting} (backoff), {@code failed} (gave up), {@code lost} (host gone).
 * Shown in lower case.
 */
public enum InstanceState {
    CREATED, STARTING, RUNNING, STOPPING, STOPPED, CRASHED, RESTARTING, FAILED, LOST;

    /** Whether a process of the instance may be alive. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }

    public static InstanceState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
