package io.spew.impl.os;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Moves what instances write into named pipes (FIFOs) to files, on one thread. The pump holds no
 * descriptor per pipe: one inotify descriptor tells it which FIFOs were written to, and it opens a
 * pipe then, keeping at most a fixed number open (least recently read closed first, drained
 * before). Each watch lives as long as its pipe is read, so a write after the last read is never
 * missed, and when the kernel drops events every pipe is read once. A pipe is opened for reading
 * and writing, so the pump never sees end-of-file while the writers come and go, and a writer that
 * opened it the same way never gets {@code EPIPE} while no pump runs: its output waits in the pipe.
 * For each pipe a {@link PipeSink} sees a copy of the bytes waiting ({@code tee(2)}) and has them moved
 * into files ({@code splice(2)}): a byte is always either still in the pipe or in a file, whenever
 * the process is killed. Thousands of pipes cost an inotify watch each, neither descriptors nor threads.
 *
 * <p>A FIFO's buffer lasts only while some process holds it open: what an instance writes just
 * before it ends, while its pipe is not among those the pump holds open, would go with it unless
 * another process holds it ({@link FifoKeepers}). Pipes are closed only to make room, never for
 * being idle: below the limit every pipe stays open from the first read on.
 *
 * <p>Only the pump thread reads and closes pipes; other threads add watches and queue work, waking
 * it through an eventfd. A sink that fails leaves the bytes in the pipe, and its pipe rests for a
 * second before it is tried again.
 */
public final class FifoPump implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FifoPump.class.getName());
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int CLOEXEC = 02000000;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    // struct epoll_event is packed on x86_64: uint32 events, then uint64 data.
    private static final int EVENT_SIZE = 12;
    private static final int EVENT_DATA = 4;
    private static final int MAX_EVENTS = 64;
    private static final long WAKE_TOKEN = 0;
    private static final long WATCH_TOKEN = 1;
    /** Buffers read from one pipe before the others get their turn. */
    private static final int TURN = 16;
    private static final long JOIN_MILLIS = 10_000;
    private static final long REST_NANOS = 1_000_000_000L;

    private final LibC libc = Native.LIBC;
    private final int pipeBytes;
    private final Map<Integer, Source> sources = new ConcurrentHashMap<>(); // by watch
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object lock = new Object();
    private final List<Source> resting = new ArrayList<>(); // pump thread only
    private final Set<Source> ready = new LinkedHashSet<>(); // pump thread only
    private final OpenPipes<Source> pipes; // pump thread only
    private final FifoWatches watches;
    private final int epollFd;
    private final int wakeFd;
    private final PipePeek peek;
    private final Thread thread;
    private boolean open = true; // guarded by lock

    /**
     * @param threadName the name of the pump's thread
     * @param pipeBytes the capacity to ask for each pipe it opens (best effort), or 0 for the kernel's default
     * @param openPipes how many pipes it may hold open at once
     */
    public FifoPump(String threadName, int pipeBytes, int openPipes) {
        if (pipeBytes < 0) {
            throw new IllegalArgumentException("pipeBytes is negative: " + pipeBytes);
        }
        this.pipeBytes = pipeBytes;
        this.pipes = new OpenPipes<>(openPipes);
        watches = new FifoWatches();
        epollFd = libc.epoll_create1(CLOEXEC);
        wakeFd = libc.eventfd(0, CLOEXEC | O_NONBLOCK);
        if (epollFd < 0 || wakeFd < 0 || !add(wakeFd, WAKE_TOKEN) || !add(watches.fd(), WATCH_TOKEN)) {
            SpewException failure = failure("setting up the log pump");
            libc.close(epollFd);
            libc.close(wakeFd);
            watches.close();
            throw failure;
        }
        peek = new PipePeek();
        thread = new Thread(this::run, requireNonNull(threadName, "threadName is null"));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches a FIFO and hands what is written to it to {@code sink}, on the pump thread, starting
     * with what waits in it now. Call it before the writer starts, so that no write goes unseen.
     */
    public Source open(Path fifo, PipeSink sink) {
        return open(fifo, sink, false);
    }

    /**
     * As {@link #open(Path, PipeSink)}; {@code fresh} says the FIFO was just made and nobody has
     * written to it yet, so that the pump need not look into it before the first write.
     */
    public Source open(Path fifo, PipeSink sink, boolean fresh) {
        requireNonNull(sink, "sink is null");
        if (!Fifos.isFifo(fifo)) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + fifo + ": it is not a pipe");
        }
        Source source;
        synchronized (lock) {
            if (!open || closing.get()) {
                throw new SpewException(ErrorCode.INVALID_STATE, "cannot read " + fifo + ": the engine is closing");
            }
            source = new Source(watches.watch(fifo), fifo, sink);
            sources.put(source.watch, source);
        }
        if (!fresh) {
            submit(() -> ready.add(source));
        }
        return source;
    }

    /** Reads what every pipe holds, closes them and stops the thread. Writers keep their ends. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        wake();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Pointer events = Memory.allocateDirect(Native.RUNTIME, MAX_EVENTS * EVENT_SIZE, true);
        Pointer counter = Memory.allocateDirect(Native.RUNTIME, Long.BYTES, true);
        try {
            while (!closing.get()) {
                int timeout = !ready.isEmpty() ? 0 : resting.isEmpty() ? -1 : 1000;
                int count = libc.epoll_wait(epollFd, events, MAX_EVENTS, timeout);
                if (count < 0) {
                    if (Native.errno() != Native.EINTR) {
                        LOG.log(Level.ERROR, "epoll_wait failed: {0}", Native.describe(Native.errno()));
                        sleepAfterFailure();
                    }
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    long token = events.getLong((long) i * EVENT_SIZE + EVENT_DATA);
                    if (token == WAKE_TOKEN) {
                        libc.eventfd_read(wakeFd, counter);
                    } else {
                        watches.read(this::written, () -> ready.addAll(sources.values()));
                    }
                }
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                wakeRested();
                pumpReady();
            }
        } finally {
            closeAll();
        }
    }

    private void written(int watch) {
        Source source = sources.get(watch);
        if (source != null) {
            ready.add(source);
        }
    }

    /** Gives each pipe written to its turn; one with more left than a turn takes comes again. */
    private void pumpReady() {
        List<Source> turn = new ArrayList<>(ready);
        ready.clear();
        for (Source source : turn) {
            if (source.closed.isDone() || resting.contains(source) || !ensureOpen(source)) {
                continue;
            }
            int reads = 0;
            while (pumpOnce(source)) {
                if (++reads == TURN) {
                    ready.add(source);
                    break;
                }
            }
        }
    }

    /** Opens the pipe unless it is open, making room among the open ones; false (and rests it) when it cannot. */
    private boolean ensureOpen(Source source) {
        if (source.fd < 0) {
            int fd = libc.openat(AT_FDCWD, source.fifo.toString(), O_RDWR | O_NONBLOCK | CLOEXEC, 0);
            if (fd < 0) {
                LOG.log(Level.ERROR, "cannot open the pipe {0}, tried again in a second: {1}", source.fifo,
                        Native.describe(Native.errno()));
                rest(source);
                return false;
            }
            if (pipeBytes > 0) {
                libc.fcntl(fd, F_SETPIPE_SZ, pipeBytes); // best effort: an unprivileged user may be held to less
            }
            source.fd = fd;
        }
        pipes.used(source, this::makeRoom);
        return true;
    }

    /** Closes a pipe to make room, after a turn of reading; one written to faster comes again. */
    private void makeRoom(Source source) {
        int reads = 0;
        while (pumpOnce(source)) {
            if (++reads == TURN) {
                ready.add(source); // its bytes wait in the pipe, which its writer holds
                break;
            }
        }
        closeDescriptor(source);
    }

    /** Empties an open pipe and closes its descriptor; its watch stays. Pump thread only. */
    private void drainAndCloseDescriptor(Source source) {
        while (pumpOnce(source)) {
            // until empty, or the sink fails: then the pipe rests and is opened again after
        }
        closeDescriptor(source);
    }

    private void closeDescriptor(Source source) {
        pipes.remove(source);
        libc.close(source.fd);
        source.fd = -1;
    }

    /**
     * Offers what waits in a pipe (up to one buffer) to its sink; false when the pipe is empty, the
     * sink moved nothing, or it failed (the pipe then rests). Pump thread only.
     */
    private boolean pumpOnce(Source source) {
        int waiting = peek(source);
        if (waiting <= 0) {
            return false;
        }
        ByteBuffer buffer = peek.buffer().position(0).limit(waiting);
        int[] moved = {0};
        try {
            source.sink.accept(buffer, (file, count) -> {
                if (count < 0 || count > waiting - moved[0]) {
                    throw new IllegalArgumentException("cannot move " + count + " bytes: "
                            + (waiting - moved[0]) + " were seen");
                }
                file.spliceFrom(source.fd, count);
                moved[0] += count;
            });
            return moved[0] > 0;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "the output waiting in " + source.fifo + " cannot be kept now; it stays in the"
                    + " pipe and is tried again in a second: " + e.getMessage());
            rest(source);
            return false;
        }
    }

    /** Copies what waits in a pipe into the buffer, leaving it in the pipe; its length, 0 when none. */
    private int peek(Source source) {
        int length = peek.peek(source.fd);
        if (length < 0) {
            LOG.log(Level.ERROR, "reading {0} failed: {1}", source.fifo, Native.describe(Native.errno()));
            rest(source);
            return 0;
        }
        return length;
    }

    private void rest(Source source) {
        source.restUntil = System.nanoTime() + REST_NANOS;
        if (!resting.contains(source)) {
            resting.add(source);
        }
    }

    /** Gives the pipes whose rest is over their turn again. */
    private void wakeRested() {
        long now = System.nanoTime();
        for (Iterator<Source> iterator = resting.iterator(); iterator.hasNext(); ) {
            Source source = iterator.next();
            if (source.closed.isDone()) {
                iterator.remove();
            } else if (now - source.restUntil >= 0) {
                iterator.remove();
                ready.add(source);
            }
        }
    }

    /** Reads until the pipe is empty, then closes it and ends its watch. Pump thread only. */
    private void drain(Source source) {
        resting.remove(source);
        if (source.fd >= 0 || ensureOpen(source)) {
            drainAndCloseDescriptor(source);
        }
        forget(source);
    }

    /** Closes the pipe unread and ends its watch. Pump thread only. */
    private void forget(Source source) {
        if (source.fd >= 0) {
            closeDescriptor(source);
        }
        sources.remove(source.watch);
        watches.unwatch(source.watch);
        resting.remove(source);
        ready.remove(source);
        source.closed.complete(null);
    }

    private void closeAll() {
        for (Source source : List.copyOf(sources.values())) {
            drain(source);
        }
        synchronized (lock) {
            open = false;
            libc.close(epollFd);
            libc.close(wakeFd);
            peek.close();
            watches.close();
        }
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    private void submit(Runnable task) {
        tasks.add(task);
        wake();
        synchronized (lock) {
            if (!open) {
                // the pump has stopped: whatever was queued too late runs here
                for (Runnable late = tasks.poll(); late != null; late = tasks.poll()) {
                    late.run();
                }
            }
        }
    }

    private void wake() {
        synchronized (lock) {
            if (open) {
                libc.eventfd_write(wakeFd, 1);
            }
        }
    }

    private boolean add(int fd, long token) {
        Pointer event = Memory.allocateDirect(Native.RUNTIME, EVENT_SIZE, true);
        event.putInt(0, EPOLLIN);
        event.putLong(EVENT_DATA, token);
        return libc.epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, event) == 0;
    }

    private static void sleepAfterFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            // only close() stops the pump
        }
    }

    private SpewException failure(String call) {
        return new SpewException(ErrorCode.INTERNAL, call + " failed: " + Native.describe(Native.errno()));
    }

    /** One pipe the pump reads. */
    public final class Source {
        private final int watch;
        private final Path fifo;
        private final PipeSink sink;
        private int fd = -1; // pump thread only; -1 while closed
        private long restUntil; // pump thread only
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final AtomicBoolean closeRequested = new AtomicBoolean();

        private Source(int watch, Path fifo, PipeSink sink) {
            this.watch = watch;
            this.fifo = fifo;
            this.sink = sink;
        }

        /**
         * Reads what the pipe holds now, then closes it; completes on the pump thread once the
         * sink has had everything. Idempotent.
         */
        public CompletableFuture<Void> drainAndClose() {
            if (closeRequested.compareAndSet(false, true)) {
                submit(() -> {
                    if (!closed.isDone()) {
                        drain(this);
                    }
                });
            }
            return closed;
        }

        /**
         * Stops reading the pipe without reading what it holds: for a pipe known to be empty and
         * written to by nobody. Completes on the pump thread. Idempotent.
         */
        public CompletableFuture<Void> closeUnread() {
            if (closeRequested.compareAndSet(false, true)) {
                submit(() -> {
                    if (!closed.isDone()) {
                        forget(this);
                    }
                });
            }
            return closed;
        }
    }
}
