package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Path;

/**
 * {@code syncfs(2)}: makes everything written to one file system durable, in one call, before a tree
 * of many files is renamed into place.
 */
public final class FileSystemSync {
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0200000 | 02000000;

    private FileSystemSync() {}

    /** Syncs the file system that holds {@code path}. */
    public static void syncFileSystemOf(Path path) {
        int fd = Native.LIBC.openat(AT_FDCWD, path.toString(), O_RDONLY_DIRECTORY_CLOEXEC, 0);
        if (fd < 0) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot open " + path + ": " + Native.describe(Native.errno()));
        }
        try {
            if (Native.LIBC.syncfs(fd) != 0) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot sync the file system of " + path + ": "
                        + Native.describe(Native.errno()));
            }
        } finally {
            Native.LIBC.close(fd);
        }
    }
}
