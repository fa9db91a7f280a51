package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * One inotify descriptor that tells which FIFOs were written to ({@code IN_MODIFY}), so that the
 * pump holds no descriptor for a pipe nobody writes to. A watch lives as long as its pipe is read:
 * a write after the last read queues an event even when the pipe's descriptor has been closed since.
 */
final class FifoWatches implements AutoCloseable {
    private static final int IN_MODIFY = 0x2;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int NONBLOCK = 04000;
    private static final int CLOEXEC = 02000000;
    // struct inotify_event: int wd, uint32 mask, uint32 cookie, uint32 len, char name[len]
    private static final int HEADER = 16;
    private static final int BUFFER = 64 * 1024;

    private final LibC libc = Native.LIBC;
    private final ByteBuffer events = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.nativeOrder());
    private final int fd;

    FifoWatches() {
        fd = libc.inotify_init1(NONBLOCK | CLOEXEC);
        if (fd < 0) {
            throw new SpewException(ErrorCode.INTERNAL, "inotify_init1 failed: " + Native.describe(Native.errno())
                    + "; raise fs.inotify.max_user_instances");
        }
    }

    /** The descriptor to poll for events. */
    int fd() {
        return fd;
    }

    /** Watches {@code fifo} for writes; returns the watch. Thread-safe. */
    int watch(Path fifo) {
        int watch = libc.inotify_add_watch(fd, fifo.toString(), IN_MODIFY);
        if (watch < 0) {
            int errno = Native.errno();
            throw new SpewException(ErrorCode.TOO_MANY, "cannot watch the pipe " + fifo + ": "
                    + Native.describe(errno) + (errno == 28 ? "; raise fs.inotify.max_user_watches" : ""));
        }
        return watch;
    }

    /** Stops a watch. Thread-safe. */
    void unwatch(int watch) {
        libc.inotify_rm_watch(fd, watch);
    }

    /**
     * Reads the events queued: each watch written to goes to {@code written}, and {@code overflow}
     * runs when the kernel dropped events (then any pipe may hold output). One thread only.
     */
    void read(IntConsumer written, Runnable overflow) {
        while (true) {
            events.clear();
            long read = libc.read(fd, events, BUFFER);
            if (read <= 0) {
                return; // EAGAIN: nothing more queued
            }
            for (int at = 0; at + HEADER <= read; at += HEADER + events.getInt(at + 12)) {
                int mask = events.getInt(at + 4);
                if ((mask & IN_Q_OVERFLOW) != 0) {
                    overflow.run();
                } else if ((mask & IN_MODIFY) != 0) {
                    written.accept(events.getInt(at));
                }
            }
        }
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
