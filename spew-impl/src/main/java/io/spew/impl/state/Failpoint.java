package io.spew.impl.state;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps of the state write protocol where a test can end the process abruptly, to check that
 * the next engine finds the last acknowledged state. A failpoint is armed only by the system
 * property {@value #PROPERTY} or the environment variable {@value #ENVIRONMENT}, read once, as
 * {@code NAME} (halt at the first time the step is reached) or {@code NAME:N} (the N-th time);
 * the process then prints one line to standard error and halts with exit code {@value #EXIT_CODE},
 * running no shutdown hook. Unarmed, reaching a step costs one test of a constant.
 */
public enum Failpoint {
    /** The temporary file holds the new content, not yet fsynced. */
    TEMP_WRITTEN,
    /** The temporary file is durable, not yet renamed over the target. */
    TEMP_SYNCED,
    /** The temporary file was renamed over the target; the directory is not yet fsynced. */
    RENAMED,
    /** The directory of the target is durable: the write is complete, not yet acknowledged. */
    DIRECTORY_SYNCED,
    /** {@link DeferredSync} made a file durable, not yet its directory. */
    DEFERRED_FILE_SYNCED,
    /** {@link DeferredSync} made a directory durable. */
    DEFERRED_DIRECTORY_SYNCED;

    public static final String PROPERTY = "spew.failpoint";
    public static final String ENVIRONMENT = "SPEW_FAILPOINT";
    public static final int EXIT_CODE = 86;

    private static final Armed ARMED = Armed.parse(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT)));

    /** The name in {@code spew.failpoint}: {@code temp-written}, {@code renamed}, … */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Halts the process here if this failpoint is armed and this is the armed time it is reached. */
    public void reach() {
        if (ARMED != null) {
            ARMED.reach(this);
        }
    }

    private record Armed(Failpoint failpoint, int time, AtomicInteger reached) {
        static Armed parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String[] parts = text.trim().split(":", 2);
            for (Failpoint failpoint : values()) {
                if (failpoint.id().equals(parts[0])) {
                    int time = parts.length == 1 ? 1 : Integer.parseInt(parts[1]);
                    return new Armed(failpoint, time, new AtomicInteger());
                }
            }
            throw new IllegalArgumentException(
                    "unknown failpoint '" + parts[0] + "' in " + PROPERTY + "/" + ENVIRONMENT);
        }

        void reach(Failpoint step) {
            if (step == failpoint && reached.incrementAndGet() == time) {
                System.err.println("spew: failpoint " + step.id() + " reached (time " + time + "): halting");
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_CODE);
            }
        }
    }
}
