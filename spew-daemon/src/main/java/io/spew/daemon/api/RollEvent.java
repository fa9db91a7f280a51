package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.environment.RollProgress;
import java.time.Instant;

/**
 * One step of a roll as a line of {@code GET /api/v1/events}: {@code type} is always {@code roll},
 * which tells it from the events of instances ({@code state}, {@code health}, {@code restart}).
 *
 * @param time when it happened
 * @param type {@code roll}
 * @param appliance the appliance rolled
 * @param phase started, replaced, paused, promoted, failed, reverted or done
 * @param fromVersion the version its instances ran before, or null when unknown
 * @param toVersion the version rolled to, or null when unknown
 * @param replaced how many of its instances run the new version now
 * @param total how many instances it has
 * @param detail the instances just replaced, or why the roll failed, or null
 * @param host the id of the host whose instances are rolled (in a cluster each host rolls its own), or null
 */
public record RollEvent(Instant time, String type, String appliance, RollProgress.Phase phase, Integer fromVersion,
        Integer toVersion, int replaced, int total, String detail, String host) {
    /** The {@code type} of every roll event. */
    public static final String TYPE = "roll";

    public RollEvent {
        requireNonNull(time, "time is null");
        requireNonNull(appliance, "appliance is null");
        requireNonNull(phase, "phase is null");
        type = TYPE;
    }

    /** The event of a step of a roll. */
    public static RollEvent of(RollProgress progress) {
        return new RollEvent(progress.time(), TYPE, progress.appliance(), progress.phase(), progress.fromVersion(),
                progress.toVersion(), progress.replaced(), progress.total(), progress.detail(), progress.host());
    }

    /** The step of the roll this event tells of. */
    public RollProgress progress() {
        return new RollProgress(time, appliance, phase, fromVersion, toVersion, replaced, total, detail, host);
    }
}
