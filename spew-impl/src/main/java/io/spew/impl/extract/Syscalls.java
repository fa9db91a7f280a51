package io.spew.impl.extract;

import io.spew.impl.os.LibC;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The C library as the extractor calls it, with the Linux constants it needs. A binding of its own
 * because {@code io.spew.impl.os.Native} is private to its package; both load the same {@link LibC}.
 */
final class Syscalls {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    /** O_DIRECTORY and O_NOFOLLOW are the generic values except on ARM. */
    static final int O_DIRECTORY = isArm() ? 040000 : 0200000;
    static final int O_NOFOLLOW = isArm() ? 0100000 : 0400000;

    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFSOCK = 0140000;
    static final int SPECIAL_BITS = 07000;

    static final long UTIME_OMIT = (1L << 30) - 2;
    static final int STATX_TYPE = 1;
    static final int STATX_MODE_OFFSET = 28;
    static final int STATX_SIZE = 256;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int EOPNOTSUPP = 95;

    private Syscalls() {}

    /** The errno the last call of this thread saved. */
    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** The C library's description of an errno, such as "No such file or directory". */
    static String describe(int errno) {
        String text = LIBC.strerror(errno);
        return text == null ? "errno " + errno : text;
    }

    /** A file type ({@code S_IFMT} bits) in the words of messages. */
    static String describeType(int type) {
        return switch (type) {
            case S_IFDIR -> "a directory";
            case S_IFREG -> "a regular file";
            case S_IFLNK -> "a symbolic link";
            case S_IFIFO -> "a FIFO";
            case S_IFCHR, S_IFBLK -> "a device node";
            case S_IFSOCK -> "a socket";
            default -> "a file of type " + Integer.toOctalString(type);
        };
    }

    private static boolean isArm() {
        String arch = System.getProperty("os.arch", "");
        return arch.startsWith("aarch64") || arch.startsWith("arm");
    }
}
