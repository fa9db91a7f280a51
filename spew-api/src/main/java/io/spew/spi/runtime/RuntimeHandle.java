package io.spew.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What identifies a running instance to its runtime, persisted so that a later engine can take it
 * over. A pid alone is never trusted: the start time and boot id tell a reused pid apart.
 *
 * @param runtime the runtime's name
 * @param pid the main process, or 0 for a runtime that runs no process
 * @param startTime the main process's start time in clock ticks after boot ({@code /proc/PID/stat})
 * @param bootId the kernel's boot id when it started
 * @param attributes runtime-specific values
 */
public record RuntimeHandle(
        String runtime, long pid, long startTime, String bootId, Map<String, String> attributes) {
    public RuntimeHandle {
        requireNonNull(runtime, "runtime is null");
        requireNonNull(bootId, "bootId is null");
        if (pid < 0) {
            throw new IllegalArgumentException("pid is negative: " + pid);
        }
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes == null ? Map.of() : attributes));
    }
}
