package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.build.BuildFetch;
import io.spew.build.BuildId;
import java.time.Instant;

/**
 * One step of fetching a build from another host as a line of {@code GET /api/v1/events}: {@code type} is
 * always {@code build}, which tells it from the events of instances and the steps of rolls.
 *
 * @param time when it happened
 * @param type {@code build}
 * @param build the build fetched
 * @param host the id of the host it is fetched from, or null when no host was asked
 * @param phase fetching, fetched or failed
 * @param bytes the bytes of the archive received so far
 * @param total the bytes of the whole archive, or 0 when not known yet
 * @param detail why it failed, or the build's {@code name@version}, or null
 */
public record BuildEvent(Instant time, String type, BuildId build, String host, BuildFetch.Phase phase, long bytes,
        long total, String detail) {
    /** The {@code type} of every build event. */
    public static final String TYPE = "build";

    public BuildEvent {
        requireNonNull(time, "time is null");
        requireNonNull(build, "build is null");
        requireNonNull(phase, "phase is null");
        type = TYPE;
    }

    /** The event of a step of a fetch. */
    public static BuildEvent of(BuildFetch step) {
        return new BuildEvent(step.time(), TYPE, step.build(), step.host(), step.phase(), step.bytes(), step.total(),
                step.detail());
    }

    /** The step of the fetch this event tells of. */
    public BuildFetch step() {
        return new BuildFetch(time, build, host, phase, bytes, total, detail);
    }
}
