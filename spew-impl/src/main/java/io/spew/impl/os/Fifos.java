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

    private Fifos() {}

    /** Makes a FIFO (mode 0600) at {@code path} unless one is there. */
    public static void create(Path path) {
        if (Native.LIBC.mkfifo(path.toString(), FIFO_MODE) == 0) {
            return;
        }
        int errno = Native.errno();
        if (errno == EEXIST && isFifo(path)) {
            return;
        }
        throw new SpewException(ErrorCode.IO_ERROR, "cannot make the pipe " + path + ": "
                + (errno == EEXIST ? "something else is in its place; remove it" : Native.describe(errno)));
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
