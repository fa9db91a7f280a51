package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One step of fetching a build this host lacks from another host of its cluster ({@link Builds#onFetch}, the
 * {@code build} events of {@code GET /api/v1/events}): the archive and its signature are copied by sha256, then
 * verified as {@code spew build import} verifies, before the build is used.
 *
 * @param time when it happened
 * @param build the build fetched
 * @param host the id of the host it is fetched from, or null when no host was asked
 * @param phase what happened
 * @param bytes the bytes of the archive received so far
 * @param total the bytes of the whole archive, or 0 when not known yet
 * @param detail why it failed, or the build's {@code name@version} once known, or null
 */
public record BuildFetch(Instant time, BuildId build, String host, Phase phase, long bytes, long total,
        String detail) {
    /** The steps of a fetch. Shown in lower case. */
    public enum Phase {
        /** The archive is being copied from {@link BuildFetch#host()}; repeated as it arrives. */
        FETCHING,
        /** The build arrived, was verified and is in the store. */
        FETCHED,
        /** The host's copy was refused or could not be had ({@link BuildFetch#detail()} says why); nothing was kept. */
        FAILED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BuildFetch {
        requireNonNull(time, "time is null");
        requireNonNull(build, "build is null");
        requireNonNull(phase, "phase is null");
    }

    /** The first 12 hex digits of the build's sha256, as lists show it. */
    public String shortId() {
        return build.sha256().substring(0, 12);
    }
}
