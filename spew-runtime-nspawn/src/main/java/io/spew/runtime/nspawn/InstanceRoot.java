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
 * Where the kernel has no overlayfs, a copy of the rootfs in {@code rootfs/} instead (reflinked where
 * the file system can), made at the first start and kept like {@code upper}.
 *
 * @param directory the instance's directory
 * @param overlay whether to use an overlay, else a copy
 */
record InstanceRoot(Path directory, boolean overlay) {
    InstanceRoot(Path directory) {
        this(directory, true);
    }

    Path upper() {
        return directory.resolve("upper");
    }

    Path work() {
        return directory.resolve("work");
    }

    /** The root nspawn runs on. */
    Path merged() {
        return directory.resolve(overlay ? "merged" : "rootfs");
    }

    /** Mounts the overlay, first taking away whatever an earlier run left mounted at {@code merged}. */
    void mount(Path lower) {
        if (!Files.isDirectory(lower)) {
            throw new SpewException(ErrorCode.START_FAILED, "the root file system " + lower + " is not a directory");
        }
        if (!overlay) {
            copy(lower);
            return;
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

    /** Unmounts the overlay if it is mounted; idempotent. A copy stays. */
    void unmount() {
        if (overlay) {
            Mounts.unmountAll(merged());
        }
    }

    private void copy(Path lower) {
        if (Files.isDirectory(merged())) {
            return;
        }
        Path staging = directory.resolve("rootfs.copying");
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder("cp", "-a", "--reflink=auto", "--", lower.toString(), staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new SpewException(ErrorCode.START_FAILED, "copying the root file system " + lower + " failed: "
                        + output.strip());
            }
            Files.move(staging, merged(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot copy the root file system " + lower + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.START_FAILED, "interrupted while copying the root file system " + lower);
        }
    }
}
