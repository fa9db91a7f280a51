package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root file system of one instance: an overlay of the build's read-only rootfs (lower) and the
 * instance's own {@code upper} and {@code work} directories, mounted at {@code merged}. What the
 * instance changes lands in {@code upper}: it survives a restart and goes with the instance directory.
 */
record InstanceRoot(Path directory) {
    Path upper() {
        return directory.resolve("upper");
    }

    Path work() {
        return directory.resolve("work");
    }

    Path merged() {
        return directory.resolve("merged");
    }

    /** Mounts the overlay, first taking away whatever an earlier run left mounted at {@code merged}. */
    void mount(Path lower) {
        if (!Files.isDirectory(lower)) {
            throw new SpewException(ErrorCode.START_FAILED, "the root file system " + lower + " is not a directory");
        }
        try {
            Files.createDirectories(upper());
            Files.createDirectories(work());
            Files.createDirectories(merged());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the overlay directories in " + directory, e);
        }
        Mounts.unmountAll(merged());
        try {
            Mounts.overlay(lower, upper(), work(), merged());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new SpewException(ErrorCode.START_FAILED, e.getMessage());
        }
    }

    /** Unmounts the overlay if it is mounted; idempotent. */
    void unmount() {
        Mounts.unmountAll(merged());
    }
}
