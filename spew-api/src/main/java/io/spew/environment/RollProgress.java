package io.spew.environment;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One step of a roll over the instances of an appliance ({@link Environments#onRollProgress}, the
 * {@code roll} events of {@code GET /api/v1/events}).
 *
 * @param time when it happened
 * @param appliance the appliance rolled
 * @param phase what happened
 * @param fromVersion the version of the appliance its instances ran before the roll, or null when
 *     unknown; a rolling restart ({@code spew restart APPLIANCE}) goes from a version to the same
 * @param toVersion the version rolled to (see {@link Environments#history}), or null when unknown
 * @param replaced how many of its instances run the new version (or were restarted) now
 * @param total how many instances it has
 * @param detail the instances just replaced, or why the roll failed, or null
 * @param host the id of the host whose instances are rolled (each host of a cluster rolls its own; {@code replaced}
 *     and {@code total} count that host's), or null when not known
 */
public record RollProgress(Instant time, String appliance, Phase phase, Integer fromVersion, Integer toVersion,
        int replaced, int total, String detail, String host) {
    /** The steps of a roll. Shown in lower case. */
    public enum Phase {
        /** The roll began. */
        STARTED,
        /** A batch of instances was replaced and stayed healthy long enough. */
        REPLACED,
        /** The canaries run the new version; the roll waits for {@code spew promote}. */
        PAUSED,
        /** Every instance runs the new version. */
        DONE,
        /** New instances did not become healthy in time: the roll stopped. */
        FAILED,
        /** A roll waiting after its canaries was promoted: it goes on over the other instances. */
        PROMOTED,
        /**
         * A failed roll goes back ({@code update.auto_revert}): {@code toVersion} is the version
         * gone back to; the roll back follows as a roll of its own.
         */
        REVERTED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RollProgress {
        requireNonNull(time, "time is null");
        requireNonNull(appliance, "appliance is null");
        requireNonNull(phase, "phase is null");
    }

    /** A step of a roll whose host is not known. */
    public RollProgress(Instant time, String appliance, Phase phase, Integer fromVersion, Integer toVersion,
            int replaced, int total, String detail) {
        this(time, appliance, phase, fromVersion, toVersion, replaced, total, detail, null);
    }

    /** The same step, of the instances of {@code newHost}. */
    public RollProgress onHost(String newHost) {
        return new RollProgress(time, appliance, phase, fromVersion, toVersion, replaced, total, detail, newHost);
    }
}
