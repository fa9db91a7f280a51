package io.spew.runtime.noop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The identity of the process an {@code adopt} instance took over, kept in the instance's directory
 * so that the instance adopts it once only: a process that now has its pid is another one unless
 * its start time and boot id match too. A start time of 0 records a pid that was already gone.
 *
 * @param pid the adopted pid
 * @param startTime its start time in clock ticks after boot, or 0 when it was gone
 * @param bootId the kernel's boot id then
 */
record AdoptedProcess(long pid, long startTime, String bootId) {
    static final String FILE = "adopted";

    AdoptedProcess {
        requireNonNull(bootId, "bootId is null");
        if (pid <= 0 || startTime < 0 || bootId.isBlank() || bootId.contains(" ")) {
            throw new IllegalArgumentException("bad adopted process " + pid + " " + startTime + " " + bootId);
        }
    }

    /** The identity recorded in an instance directory, or empty if the instance adopted nothing yet. */
    static Optional<AdoptedProcess> read(Path directory) {
        Path file = directory.resolve(FILE);
        try {
            String[] fields = Files.readString(file, US_ASCII).trim().split(" ");
            return Optional.of(new AdoptedProcess(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2]));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "runtime void: cannot read " + file + " (" + e
                    + "): remove it to adopt the configured pid again");
        }
    }

    /** Records this identity in the instance directory: temporary file, fsync, rename. */
    void write(Path directory) {
        Path file = directory.resolve(FILE);
        Path temporary = directory.resolve("." + FILE + ".tmp-void");
        byte[] content = (pid + " " + startTime + " " + bootId + "\n").getBytes(US_ASCII);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the engine removes temporary files of instance directories at its next start
            }
            throw new SpewException(ErrorCode.IO_ERROR, "runtime void: cannot write " + file + ": " + e.getMessage());
        }
    }
}
