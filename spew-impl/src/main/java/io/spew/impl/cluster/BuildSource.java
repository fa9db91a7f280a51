package io.spew.impl.cluster;

import io.spew.build.BuildId;

/**
 * A host that may have a build this host lacks: what it says of the build, then its archive piece by piece.
 * Nothing it says is believed: {@link BuildFetcher} verifies what arrives as an import does.
 */
interface BuildSource {
    /** The id of the host asked. */
    String host();

    /** What the host has of a build; throws {@code BUILD_NOT_FOUND} when it has no archive of it. */
    Offer offer(BuildId id);

    /** Up to {@code length} bytes of the build's archive from {@code offset}; empty past its end. */
    byte[] read(BuildId id, long offset, int length);

    /**
     * A host's word on a build.
     *
     * @param name the build's name on that host
     * @param version its version there
     * @param archiveBytes the size of its archive
     * @param signature its detached signature, or null when it was imported unsigned there
     */
    record Offer(String name, String version, long archiveBytes, byte[] signature) {}
}
