package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.environment.RollProgress;

/**
 * One step of a roll as {@code GET /api/v1/rolls?after=N} lists them.
 *
 * @param sequence its number in the daemon's log of rolls, from 1; ask for those after the last seen
 * @param progress the step
 */
public record RollEntry(long sequence, RollProgress progress) {
    public RollEntry {
        requireNonNull(progress, "progress is null");
    }
}
