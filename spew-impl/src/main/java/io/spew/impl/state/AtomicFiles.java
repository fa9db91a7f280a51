package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file writes: a temporary file beside the target, fsync, rename over the target, fsync
 * the directory. A reader sees the old content or the new one, never a mix, whenever the process
 * or the machine stops.
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /** Writes {@code content} to {@code target} crash-safely, readable by its owner only. */
    public static void write(Path target, byte[] content) {
        replace(target, content, true);
        try {
            syncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw failed(target, e);
        }
        Failpoint.DIRECTORY_SYNCED.reach();
    }

    /**
     * Replaces {@code target} atomically (temporary file, rename) without waiting for the disk: a
     * reader, or the next process after a crash of this one, sees the old content or the new one.
     * The caller makes it durable with {@link DeferredSync}.
     */
    public static void writeAtomically(Path target, byte[] content, DeferredSync sync) {
        replace(target, content, false);
        sync.schedule(target);
    }

    private static void replace(Path target, byte[] content, boolean force) {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = directory.resolve("." + target.getFileName() + ".tmp-" + Thread.currentThread().getId());
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                Failpoint.TEMP_WRITTEN.reach();
                if (force) {
                    channel.force(true);
                    Failpoint.TEMP_SYNCED.reach();
                }
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the temporary file is cleaned at the next start
            }
            throw failed(target, e);
        }
        Failpoint.RENAMED.reach();
    }

    /** The error of a write that did not happen: the target keeps its previous content. */
    private static SpewException failed(Path target, IOException e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return new SpewException(ErrorCode.IO_ERROR, "cannot write " + target
                    + ": no space left on its file system (" + reason + "); it keeps its previous content: free some space and retry", e);
        }
        return new SpewException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e
                + "; it keeps its previous content", e);
    }

    /** Makes a rename or a creation in {@code directory} durable. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Whether a file name is one of the temporary files {@link #write} leaves after a crash. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(".tmp-");
    }
}
