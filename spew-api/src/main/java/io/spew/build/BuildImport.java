package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What {@link Builds#importBuild} takes.
 *
 * @param archive a {@code .tar}, {@code .tar.gz}, {@code .tar.xz}, {@code .tar.zst} or {@code .tar.bz2} (detected by content)
 * @param signature its detached signature, or null for {@code ARCHIVE.asc} or {@code ARCHIVE.sig} beside it
 * @param allowUnsigned whether an archive without a signature is accepted (logged, and shown on the build forever)
 * @param name the build's name, or null for its metadata's
 * @param version the build's version, or null for its metadata's
 * @param limits the limits of the extraction
 */
public record BuildImport(Path archive, Path signature, boolean allowUnsigned, String name, String version,
        ImportLimits limits) {
    public BuildImport {
        requireNonNull(archive, "archive is null");
        limits = limits == null ? ImportLimits.DEFAULT : limits;
    }

    public static BuildImport of(Path archive) {
        return new BuildImport(archive, null, false, null, null, null);
    }
}
