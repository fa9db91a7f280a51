package io.spew.impl.extract;

import static io.spew.impl.extract.Syscalls.AT_FDCWD;
import static io.spew.impl.extract.Syscalls.AT_SYMLINK_NOFOLLOW;
import static io.spew.impl.extract.Syscalls.EINTR;
import static io.spew.impl.extract.Syscalls.LIBC;
import static io.spew.impl.extract.Syscalls.O_CLOEXEC;
import static io.spew.impl.extract.Syscalls.O_CREAT;
import static io.spew.impl.extract.Syscalls.O_DIRECTORY;
import static io.spew.impl.extract.Syscalls.O_EXCL;
import static io.spew.impl.extract.Syscalls.O_NOFOLLOW;
import static io.spew.impl.extract.Syscalls.O_RDONLY;
import static io.spew.impl.extract.Syscalls.O_WRONLY;
import static io.spew.impl.extract.Syscalls.errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The root of an extraction as a directory descriptor, and the system calls made relative to it.
 * Paths are relative to the root, already checked not to leave it nor to cross a symbolic link; the
 * calls that would follow a final symbolic link are told not to ({@code O_NOFOLLOW}, {@code O_EXCL},
 * {@code AT_SYMLINK_NOFOLLOW}) or only ever get a path known to be a directory or a FIFO. Not
 * thread-safe: one per thread, the others made by {@link #forAnotherThread}.
 */
final class RootDirectory implements AutoCloseable {
    private final int fd;
    private final String absolute;
    private final boolean owner;
    private final Pointer times = Memory.allocateDirect(Syscalls.RUNTIME, 32);
    private final Pointer statx = Memory.allocateDirect(Syscalls.RUNTIME, Syscalls.STATX_SIZE);

    private RootDirectory(int fd, String absolute, boolean owner) {
        this.fd = fd;
        this.absolute = absolute;
        this.owner = owner;
    }

    static RootDirectory open(Path root) throws IOException {
        String absolute = root.toAbsolutePath().toString();
        int fd = LIBC.openat(AT_FDCWD, absolute, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new CallFailedException("open", absolute, errno());
        }
        return new RootDirectory(fd, absolute, true);
    }

    /** The same root with buffers of its own, for another thread; closing it leaves the root open. */
    RootDirectory forAnotherThread() {
        return new RootDirectory(fd, absolute, false);
    }

    /** The root's own descriptor, for its attributes. */
    int fd() {
        return fd;
    }

    /** A new regular file, never through a symbolic link: its descriptor, or minus the errno. */
    int create(String path, int mode) {
        int file = LIBC.openat(fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        return file >= 0 ? file : -errno();
    }

    /** Writes {@code buffer[offset, offset + length)} whole. */
    void write(int file, byte[] buffer, int offset, int length, String path) throws IOException {
        ByteBuffer remaining = ByteBuffer.wrap(buffer, offset, length);
        while (remaining.hasRemaining()) {
            long written = LIBC.write(file, remaining, remaining.remaining());
            if (written >= 0) {
                remaining.position(remaining.position() + (int) written);
            } else {
                int error = errno();
                if (error != EINTR) {
                    throw new CallFailedException("write", path, error);
                }
            }
        }
    }

    /** 0, or the errno. */
    int mkdir(String path, int mode) {
        return LIBC.mkdirat(fd, path, mode) == 0 ? 0 : errno();
    }

    /** 0, or the errno. */
    int mkfifo(String path, int mode) {
        return LIBC.mknodat(fd, path, Syscalls.S_IFIFO | mode, 0) == 0 ? 0 : errno();
    }

    /** 0, or the errno. */
    int symlink(String target, String path) {
        return LIBC.symlinkat(target, fd, path) == 0 ? 0 : errno();
    }

    /** A hard link at {@code path} to {@code target} (not following it): 0, or the errno. */
    int link(String target, String path) {
        return LIBC.linkat(fd, target, fd, path, 0) == 0 ? 0 : errno();
    }

    /** Removes a file that is not a directory. */
    void unlink(String path) throws IOException {
        if (LIBC.unlinkat(fd, path, 0) != 0) {
            throw new CallFailedException("unlink", path, errno());
        }
    }

    /** The type ({@code S_IFMT} bits) of what is at {@code path}, not following it; 0 if nothing is. */
    int type(String path) throws IOException {
        if (LIBC.statx(fd, path, AT_SYMLINK_NOFOLLOW, Syscalls.STATX_TYPE, statx) != 0) {
            int error = errno();
            if (error == Syscalls.ENOENT) {
                return 0;
            }
            throw new CallFailedException("stat", path, error);
        }
        return statx.getShort(Syscalls.STATX_MODE_OFFSET) & Syscalls.S_IFMT;
    }

    void chown(int file, int uid, int gid, String path) throws IOException {
        if (LIBC.fchown(file, uid, gid) != 0) {
            throw new CallFailedException("chown", path, errno());
        }
    }

    void chmod(int file, int mode, String path) throws IOException {
        if (LIBC.fchmod(file, mode) != 0) {
            throw new CallFailedException("chmod", path, errno());
        }
    }

    void setModificationTime(int file, long seconds, int nanos, String path) throws IOException {
        setTimes(seconds, nanos);
        if (LIBC.futimens(file, times) != 0) {
            throw new CallFailedException("utimens", path, errno());
        }
    }

    /** Sets the owner of {@code path}, not following a symbolic link. */
    void chown(String path, int uid, int gid) throws IOException {
        if (LIBC.fchownat(fd, path, uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
            throw new CallFailedException("chown", path, errno());
        }
    }

    /** Sets the mode of {@code path}, which must not be a symbolic link (Linux cannot refuse to follow). */
    void chmod(String path, int mode) throws IOException {
        if (LIBC.fchmodat(fd, path, mode, 0) != 0) {
            throw new CallFailedException("chmod", path, errno());
        }
    }

    /** Sets the modification time of {@code path}, not following a symbolic link. */
    void setModificationTime(String path, long seconds, int nanos) throws IOException {
        setTimes(seconds, nanos);
        if (LIBC.utimensat(fd, path, times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw new CallFailedException("utimens", path, errno());
        }
    }

    /** 0, or the errno. */
    int setExtendedAttribute(int file, String name, byte[] value) {
        return LIBC.fsetxattr(file, name, value, value.length, 0) == 0 ? 0 : errno();
    }

    /** Sets an extended attribute of {@code path}, not following a symbolic link: 0, or the errno. */
    int setExtendedAttribute(String path, String name, byte[] value) {
        String full = path.isEmpty() ? absolute : absolute + "/" + path;
        return LIBC.lsetxattr(full, name, value, value.length, 0) == 0 ? 0 : errno();
    }

    void close(int file, String path) throws IOException {
        if (LIBC.close(file) != 0) {
            throw new CallFailedException("close", path, errno());
        }
    }

    @Override
    public void close() {
        if (owner) {
            LIBC.close(fd);
        }
    }

    private void setTimes(long seconds, int nanos) {
        times.putLong(0, 0);
        times.putLong(8, Syscalls.UTIME_OMIT); // access time: left as it is
        times.putLong(16, seconds);
        times.putLong(24, nanos);
    }
}
