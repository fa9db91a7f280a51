package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.ByteBuffer;

/**
 * Copies what waits in a pipe into one buffer without taking it out: {@code tee(2)} into a scratch
 * pipe, then a read from there. One thread only.
 */
final class PipePeek implements AutoCloseable {
    static final int BUFFER = 64 * 1024;
    private static final int NONBLOCK = 04000;
    private static final int CLOEXEC = 02000000;
    private static final int SPLICE_F_NONBLOCK = 2;
    private static final int EAGAIN = 11;

    private final LibC libc = Native.LIBC;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final int[] scratch = new int[2]; // read end, write end

    PipePeek() {
        if (libc.pipe2(scratch, CLOEXEC | NONBLOCK) != 0) {
            throw new SpewException(ErrorCode.INTERNAL, "pipe2 failed: " + Native.describe(Native.errno()));
        }
    }

    /** The buffer the bytes were copied to, from 0 to the length {@link #peek} returned. */
    ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Copies what waits in the pipe {@code fd} (up to the buffer's size) into the buffer; the
     * length, 0 when the pipe is empty, or -1 when it cannot be read (the errno is kept).
     */
    int peek(int fd) {
        long copied = libc.tee(fd, scratch[1], BUFFER, SPLICE_F_NONBLOCK);
        if (copied <= 0) {
            return copied < 0 && Native.errno() != EAGAIN && Native.errno() != Native.EINTR ? -1 : 0;
        }
        int length = 0;
        while (length < copied) {
            buffer.clear().position(length);
            long read = libc.read(scratch[0], buffer.slice(), copied - length);
            if (read <= 0) {
                throw new IllegalStateException("the scratch pipe held less than was copied into it");
            }
            length += (int) read;
        }
        return length;
    }

    @Override
    public void close() {
        libc.close(scratch[0]);
        libc.close(scratch[1]);
    }
}
