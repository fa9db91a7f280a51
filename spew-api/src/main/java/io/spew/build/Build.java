package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An imported build: an unpacked root filesystem that instances run from.
 *
 * @param id the sha256 of its archive
 * @param name its name
 * @param version its version
 * @param importedAt when it was imported
 */
public record Build(BuildId id, String name, String version, Instant importedAt) {
    public Build {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(importedAt, "importedAt is null");
    }
}
