package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What {@link Builds#create} takes.
 *
 * @param directory the root filesystem to pack
 * @param name the build's name
 * @param version the build's version
 * @param output the archive to write, or null for {@code NAME-VERSION.tar.zst} in the current
 *     directory; its name says the compression ({@code .tar}, {@code .tar.gz}, {@code .tar.zst}, {@code .tar.xz})
 * @param key an unprotected OpenPGP secret key file to sign with, or null for the local key
 * @param keepMtimes whether files keep their modification times (else all are 0, for reproducibility)
 */
public record BuildCreate(Path directory, String name, String version, Path output, Path key, boolean keepMtimes) {
    public BuildCreate {
        requireNonNull(directory, "directory is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
    }
}
