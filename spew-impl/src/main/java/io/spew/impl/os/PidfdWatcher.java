package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Notices the end of processes through their pidfds, all on one epoll instance served by one
 * thread, {@value #THREAD_NAME}. Every callback runs on that thread, and it alone removes pidfds
 * from epoll and closes them; other threads add pidfds and queue work for it, waking it through an
 * eventfd. Epoll events carry a token unique to each watch, not the pidfd: a pidfd number is reused
 * as soon as it is closed, and a stale event must never be taken for the end of another process.
 */
final class PidfdWatcher implements AutoCloseable {
    static final String THREAD_NAME = "spew-process-watcher";

    private static final System.Logger LOG = System.getLogger(PidfdWatcher.class.getName());
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 1;
    // struct epoll_event is packed on x86_64: uint32 events, then uint64 data.
    private static final int EVENT_SIZE = 12;
    private static final int EVENT_DATA = 4;
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_TOKEN = 0;
    private static final long RETRY_MILLIS = 100;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final LibC libc = Native.LIBC;
    private final Map<Long, Watch> watches = new HashMap<>(); // guarded by lock
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextToken = new AtomicLong(WAKE_TOKEN + 1);
    private final AtomicBoolean closing = new AtomicBoolean();
    // Guards the descriptors below against being used by one thread while the watcher closes them.
    private final Object lock = new Object();
    private final Pointer event = Memory.allocateDirect(Native.RUNTIME, EVENT_SIZE, true); // guarded by lock
    private final int epollFd;
    private final int wakeFd;
    private final Thread thread;
    private boolean open = true; // guarded by lock

    PidfdWatcher() {
        epollFd = libc.epoll_create1(CLOEXEC);
        if (epollFd < 0) {
            throw failure("epoll_create1");
        }
        wakeFd = libc.eventfd(0, CLOEXEC | EFD_NONBLOCK);
        if (wakeFd < 0 || !add(wakeFd, WAKE_TOKEN)) {
            SpewException failure = failure(wakeFd < 0 ? "eventfd" : "epoll_ctl");
            libc.close(epollFd);
            libc.close(wakeFd);
            throw failure;
        }
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * See {@link io.spew.spi.runtime.HostProcesses#watch}. A process already gone is reported from
     * the watcher thread too, never from the caller's.
     */
    Registration watch(long pid, Consumer<ExitStatus> onExit) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        if (closing.get()) {
            throw closed(pid);
        }
        Watch watch = new Watch(nextToken.getAndIncrement(), pid, onExit);
        int pidfd = (int) libc.syscall(SYS_PIDFD_OPEN, pid, 0);
        if (pidfd < 0) {
            int errno = Native.errno();
            if (errno != Native.ESRCH) {
                throw new SpewException(errno == Native.EMFILE ? ErrorCode.TOO_MANY : ErrorCode.INTERNAL,
                        "cannot watch process " + pid + ": pidfd_open failed: " + Native.describe(errno));
            }
            submit(() -> deliver(watch, ExitStatus.unknown()));
            return () -> cancel(watch);
        }
        synchronized (lock) {
            if (!open || closing.get()) {
                libc.close(pidfd);
                throw closed(pid);
            }
            if (!add(pidfd, watch.token)) {
                SpewException failure = failure("epoll_ctl");
                libc.close(pidfd);
                throw failure;
            }
            watch.pidfd = pidfd;
            watches.put(watch.token, watch);
        }
        return () -> cancel(watch);
    }

    /** Stops the thread and closes every descriptor; the processes keep running. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        wake();
        if (Thread.currentThread() == thread) {
            return; // closed from a callback: the loop ends when the callback returns
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "an exit listener has run for more than {0}: "
                    + "the watcher thread stops once it returns", CLOSE_TIMEOUT);
        }
    }

    private void run() {
        ChildReaper reaper = new ChildReaper();
        Pointer events = Memory.allocateDirect(Native.RUNTIME, MAX_EVENTS * EVENT_SIZE, true);
        Pointer counter = Memory.allocateDirect(Native.RUNTIME, Long.BYTES, true);
        try {
            while (!closing.get()) {
                int count = libc.epoll_wait(epollFd, events, MAX_EVENTS, -1);
                if (count < 0) {
                    waitAfterFailure(Native.errno());
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    long token = events.getLong((long) i * EVENT_SIZE + EVENT_DATA);
                    if (token == WAKE_TOKEN) {
                        libc.eventfd_read(wakeFd, counter);
                    } else {
                        runSafely(() -> ended(token, reaper));
                    }
                }
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    runSafely(task);
                }
            }
        } finally {
            closeDescriptors();
        }
    }

    /** Runs one piece of the loop's work: whatever goes wrong with one process, the loop goes on. */
    private static void runSafely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "watching a process failed", e);
        }
    }

    private void ended(long token, ChildReaper reaper) {
        Watch watch = remove(token);
        if (watch == null) {
            return;
        }
        ExitStatus status;
        try {
            status = reaper.reap(watch.pidfd, watch.pid);
        } finally {
            libc.close(watch.pidfd);
        }
        deliver(watch, status);
    }

    private void deliver(Watch watch, ExitStatus status) {
        if (!watch.finished.compareAndSet(false, true)) {
            return;
        }
        try {
            watch.onExit.accept(status);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "the exit listener of process " + watch.pid + " failed", e);
        }
    }

    private void cancel(Watch watch) {
        if (watch.finished.compareAndSet(false, true)) {
            submit(() -> {
                Watch removed = remove(watch.token);
                if (removed != null) {
                    libc.close(removed.pidfd);
                }
            });
        }
    }

    /** Removes a watch and its pidfd from epoll; the caller closes the pidfd. Watcher thread only. */
    private Watch remove(long token) {
        Watch watch;
        synchronized (lock) {
            watch = watches.remove(token);
        }
        if (watch != null) {
            libc.epoll_ctl(epollFd, EPOLL_CTL_DEL, watch.pidfd, null);
        }
        return watch;
    }

    private void submit(Runnable task) {
        tasks.add(task);
        wake();
    }

    private void wake() {
        synchronized (lock) {
            if (open) {
                libc.eventfd_write(wakeFd, 1);
            }
        }
    }

    /** Adds a descriptor to epoll, to be reported with a token; false with errno set if it failed. */
    private boolean add(int fd, long token) {
        synchronized (lock) {
            event.putInt(0, EPOLLIN);
            event.putLong(EVENT_DATA, token);
            return libc.epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, event) == 0;
        }
    }

    private void waitAfterFailure(int errno) {
        if (errno == Native.EINTR) {
            return;
        }
        LOG.log(Level.ERROR, "epoll_wait failed: {0}; retrying", Native.describe(errno));
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            // Only close() stops this thread.
        }
    }

    private void closeDescriptors() {
        synchronized (lock) {
            open = false;
            for (Watch watch : watches.values()) {
                libc.close(watch.pidfd);
            }
            watches.clear();
            libc.close(epollFd);
            libc.close(wakeFd);
        }
    }

    private static SpewException closed(long pid) {
        return new SpewException(ErrorCode.INVALID_STATE,
                "cannot watch process " + pid + ": host processes are closed");
    }

    private SpewException failure(String call) {
        return new SpewException(ErrorCode.INTERNAL, call + " failed: " + Native.describe(Native.errno()));
    }

    private static final class Watch {
        final long token;
        final long pid;
        final Consumer<ExitStatus> onExit;
        final AtomicBoolean finished = new AtomicBoolean();
        int pidfd = -1; // set under lock before the watch is published

        Watch(long token, long pid, Consumer<ExitStatus> onExit) {
            this.token = token;
            this.pid = pid;
            this.onExit = onExit;
        }
    }
}
