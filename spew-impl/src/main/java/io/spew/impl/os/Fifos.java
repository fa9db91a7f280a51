package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Named pipes (FIFOs): making them and telling them from other files. */
public final class Fifos {
    private static final int FIFO_MODE = 0600;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int EEXIST = 17;
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final long FIONREAD = 0x541B;

    private Fifos() {}

    /** Makes a FIFO (mode 0600) at {@code path} unless one is there; true when it made one. */
    public static boolean create(Path path) {
        if (Native.LIBC.mkfifo(path.toString(), FIFO_MODE) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == EEXIST && isFifo(path)) {
            return false;
        }
        throw new SpewException(ErrorCode.IO_ERROR, "cannot make the pipe " + path + ": "
                + (errno == EEXIST ? "something else is in its place; remove it" : Native.describe(errno)));
    }

    /**
     * Whether nothing waits in the FIFO at {@code path} now; false when that cannot be told. It is
     * opened for reading and writing without blocking (so no writer ever sees it as a reader going
     * away), asked how many bytes wait ({@code FIONREAD}), and closed.
     */
    public static boolean isEmpty(Path path) {
        int fd = Native.LIBC.openat(AT_FDCWD, path.toString(), O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        try {
            int[] waiting = {-1};
            return Native.LIBC.ioctl(fd, FIONREAD, waiting) == 0 && waiting[0] == 0;
        } finally {
            Native.LIBC.close(fd);
        }
    }

    /** Whether {@code path} is a FIFO (not following a symbolic link). */
    public static boolean isFifo(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFIFO;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
