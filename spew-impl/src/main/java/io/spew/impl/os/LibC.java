package io.spew.impl.os;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Pinned;
import jnr.ffi.byref.IntByReference;

/**
 * The glibc functions this package calls, bound with JNR-FFI. Public only because JNR-FFI generates
 * its implementation in another class loader; use it through {@code Native.LIBC}. Every function
 * saves {@code errno} unless marked {@link IgnoreError}; {@code posix_spawn*} return their error
 * instead of setting it. Paths are passed as UTF-8, whatever the JVM's default charset.
 */
public interface LibC {
    int getrlimit(int resource, @Out long[] limits);

    int setrlimit(int resource, @In long[] limits);

    int posix_spawn(Pointer pid, @Encoding("UTF-8") String path, Pointer fileActions, Pointer attributes,
            Pointer argv, Pointer envp);

    @IgnoreError
    int posix_spawn_file_actions_init(Pointer fileActions);

    @IgnoreError
    int posix_spawn_file_actions_destroy(Pointer fileActions);

    @IgnoreError
    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, @Encoding("UTF-8") String path, int flags,
            int mode);

    @IgnoreError
    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    @IgnoreError
    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, @Encoding("UTF-8") String path);

    @IgnoreError
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int fromFd);

    @IgnoreError
    int posix_spawnattr_init(Pointer attributes);

    @IgnoreError
    int posix_spawnattr_destroy(Pointer attributes);

    @IgnoreError
    int posix_spawnattr_setflags(Pointer attributes, short flags);

    @IgnoreError
    int posix_spawnattr_setsigmask(Pointer attributes, Pointer signalSet);

    @IgnoreError
    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer signalSet);

    @IgnoreError
    int sigemptyset(Pointer signalSet);

    @IgnoreError
    int sigfillset(Pointer signalSet);

    /** {@code syscall(2)}; every argument is passed as a long, as the kernel reads them. */
    long syscall(long number, long first, long second);

    int epoll_create1(int flags);

    int epoll_ctl(int epollFd, int operation, int fd, Pointer event);

    int epoll_wait(int epollFd, Pointer events, int maxEvents, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    int eventfd_read(int fd, Pointer value);

    int eventfd_write(int fd, long value);

    int waitid(int idType, int id, Pointer info, int options);

    int kill(int pid, int signal);

    /** The calling thread's id (glibc 2.30 and later). */
    @IgnoreError
    int gettid();

    int close(int fd);

    // The FIFOs instances write their output to (FifoPump).

    int mkfifo(@Encoding("UTF-8") String path, int mode);

    int inotify_init1(int flags);

    int inotify_add_watch(int fd, @Encoding("UTF-8") String path, int mask);

    int inotify_rm_watch(int fd, int watch);

    /** Reads into {@code buffer} from its start; a heap buffer is pinned rather than copied. */
    long read(int fd, @Pinned @Out ByteBuffer buffer, long count);

    int fcntl(int fd, int command, int argument);

    /** {@code ioctl} with an {@code int *} argument, such as {@code FIONREAD}. */
    int ioctl(int fd, long request, @Out int[] value);

    /** {@code ioctl} with an {@code int *} argument read and written, such as {@code FS_IOC_SETFLAGS}. */
    int ioctl(int fd, long request, IntByReference value);

    int pipe2(@Out int[] fds, int flags);

    /** Copies what waits in one pipe into another without consuming it. */
    long tee(int fdIn, int fdOut, long length, int flags);

    /** Moves bytes from a pipe to a file at {@code *offsetOut} (a 64-bit offset it advances). */
    long splice(int fdIn, Pointer offsetIn, int fdOut, Pointer offsetOut, long length, int flags);

    long pwrite(int fd, @Pinned @In ByteBuffer buffer, long count, long offset);

    int syncfs(int fd);

    @IgnoreError
    String strerror(int errno);

    // The file system calls of the safe extractor (io.spew.impl.extract): relative to a directory
    // descriptor, never following a symbolic link where the call can avoid it.

    int openat(int dirFd, @Encoding("UTF-8") String path, int flags, int mode);

    int mkdirat(int dirFd, @Encoding("UTF-8") String path, int mode);

    int mknodat(int dirFd, @Encoding("UTF-8") String path, int mode, long device);

    int symlinkat(@Encoding("UTF-8") String target, int dirFd, @Encoding("UTF-8") String path);

    int linkat(int oldDirFd, @Encoding("UTF-8") String oldPath, int newDirFd, @Encoding("UTF-8") String newPath,
            int flags);

    int unlinkat(int dirFd, @Encoding("UTF-8") String path, int flags);

    int fchownat(int dirFd, @Encoding("UTF-8") String path, int uid, int gid, int flags);

    int fchown(int fd, int uid, int gid);

    int fchmodat(int dirFd, @Encoding("UTF-8") String path, int mode, int flags);

    int fchmod(int fd, int mode);

    /** {@code times} holds two {@code struct timespec}: access, then modification. */
    int utimensat(int dirFd, @Encoding("UTF-8") String path, Pointer times, int flags);

    int futimens(int fd, Pointer times);

    /** Writes from {@code buffer}'s position; a heap buffer is pinned rather than copied. */
    long write(int fd, @Pinned @In ByteBuffer buffer, long count);

    int fsetxattr(int fd, @Encoding("UTF-8") String name, @In byte[] value, long size, int flags);

    int lsetxattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name, @In byte[] value, long size,
            int flags);

    /** {@code statx(2)}: the one stat call whose buffer layout is the same on every architecture. */
    int statx(int dirFd, @Encoding("UTF-8") String path, int flags, int mask, Pointer buffer);

    @IgnoreError
    int geteuid();

    @IgnoreError
    int getegid();
}
