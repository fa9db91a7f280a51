package io.spew.spi.runtime;

/**
 * A spawned process.
 *
 * @param pid its pid
 * @param startTime its start time in clock ticks after boot
 */
public record SpawnedProcess(long pid, long startTime) {}
