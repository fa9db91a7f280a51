package io.spew.impl.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A file that output is appended to by its one writer, who keeps its size: bytes arrive either
 * moved straight from a pipe by {@code splice(2)} (see {@link FifoPump}), so that they are always
 * either still in the pipe or already in the file, or copied from memory. Not thread-safe.
 */
public final class OutputFile implements AutoCloseable {
    private static final int AT_FDCWD = -100;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int CLOEXEC = 02000000;
    private static final int MODE = 0640;
    private static final int SPLICE_F_MOVE = 1;

    private final LibC libc = Native.LIBC;
    private final Path path;
    private final Pointer offset = Memory.allocateDirect(Native.RUNTIME, Long.BYTES, true);
    private int fd;
    private long size;

    private OutputFile(Path path, int fd, long size) {
        this.path = path;
        this.fd = fd;
        this.size = size;
    }

    /** Opens (or makes) a file to append to. */
    public static OutputFile open(Path path) throws IOException {
        int fd = Native.LIBC.openat(AT_FDCWD, path.toString(), O_WRONLY | O_CREAT | CLOEXEC, MODE);
        if (fd < 0) {
            int errno = Native.errno();
            throw new IOException("cannot open " + path + ": " + Native.describe(errno));
        }
        try {
            return new OutputFile(path, fd, Files.size(path));
        } catch (IOException | RuntimeException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Its size: where the next bytes go. */
    public long size() {
        return size;
    }

    /** Appends the bytes between the buffer's position and limit, and moves its position past them. */
    public void write(ByteBuffer bytes) throws IOException {
        ByteBuffer part = bytes.slice();
        while (part.hasRemaining()) {
            long written = libc.pwrite(fd, part, part.remaining(), size);
            if (written < 0) {
                throw failure("write to");
            }
            part.position(part.position() + (int) written);
            size += written;
        }
        bytes.position(bytes.limit());
    }

    /** Moves the next {@code count} bytes waiting in a pipe to the end of this file. */
    void spliceFrom(int pipeFd, int count) throws IOException {
        int left = count;
        while (left > 0) {
            offset.putLong(0, size);
            long moved = libc.splice(pipeFd, null, fd, offset, left, SPLICE_F_MOVE);
            if (moved < 0) {
                if (Native.errno() == Native.EINTR) {
                    continue;
                }
                throw failure("move output to");
            }
            if (moved == 0) {
                throw new IOException("the pipe held fewer bytes than were seen in it, moving to " + path);
            }
            size += moved;
            left -= (int) moved;
        }
    }

    private IOException failure(String what) {
        return new IOException("cannot " + what + " " + path + ": " + Native.describe(Native.errno()));
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
        }
    }
}
