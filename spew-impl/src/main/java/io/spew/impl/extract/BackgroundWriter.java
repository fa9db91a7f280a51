package io.spew.impl.extract;

import io.spew.SpewException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Makes small regular files on a thread of its own (create, write, attributes, close: the system
 * calls that take most of an extraction's time) while the extraction reads and checks the next
 * entries. It decides nothing: every path it gets was checked and claimed by the extraction, which
 * {@link #drain}s it before touching a path the writer may not have made yet (a hard link's target, a
 * file replaced) and before setting directory attributes. Holds at most {@link #MAX_QUEUED_BYTES} of
 * file data. The first failure stops it and is thrown to the extraction by the next call.
 */
final class BackgroundWriter implements AutoCloseable {
    /** Files up to this size go to the writer; larger ones are streamed by the extraction itself. */
    static final int MAX_FILE_SIZE = 1 << 20;
    private static final int MAX_QUEUED_BYTES = 32 << 20;

    private final RootDirectory root;
    private final AttributeWriter attributes;
    private final BlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(MAX_QUEUED_BYTES);
    private final Thread thread;
    private volatile Failure failure;

    /** A file to make, or (with a latch) a marker that all files before it are made. */
    private record Task(String name, String path, EntryAttributes attributes, byte[] data, CountDownLatch done) {}

    /** The first failure: the entry it was for, and what went wrong. */
    private record Failure(String name, Throwable error) {}

    BackgroundWriter(RootDirectory root) {
        this.root = root.forAnotherThread();
        this.attributes = new AttributeWriter(this.root);
        this.thread = new Thread(this::run, "spew-extract-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a file to make at {@code path}, waiting while the queue holds too much data. */
    void submit(String name, String path, EntryAttributes fileAttributes, byte[] data) throws IOException {
        rethrowFailure();
        try {
            room.acquire(permits(data));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while extracting");
        }
        tasks.add(new Task(name, path, fileAttributes, data, null));
    }

    /** Waits until every file queued so far is made; throws the writer's failure if there was one. */
    void drain() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        tasks.add(new Task(null, null, null, null, done));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while extracting");
        }
        rethrowFailure();
    }

    /** Stops the thread, abandoning what is queued (after a failure, the caller deletes the root). */
    @Override
    public void close() {
        tasks.clear();
        tasks.add(new Task(null, null, null, null, null));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Task task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task.path() == null) {
                if (task.done() == null) {
                    return;
                }
                task.done().countDown();
                continue;
            }
            if (failure == null) {
                try {
                    write(task);
                } catch (IOException | RuntimeException | Error e) {
                    failure = new Failure(task.name(), e);
                }
            }
            room.release(permits(task.data()));
        }
    }

    private void write(Task task) throws IOException {
        String path = task.path();
        int file = root.create(path, task.attributes().mode() & 0777);
        if (file < 0) {
            throw new CallFailedException("open", path, -file);
        }
        boolean written = false;
        try {
            root.write(file, task.data(), task.data().length, path);
            attributes.setOnFile(file, path, task.attributes());
            written = true;
        } finally {
            if (written) {
                root.close(file, path);
            } else {
                Syscalls.LIBC.close(file);
            }
        }
    }

    private void rethrowFailure() throws IOException {
        Failure first = failure;
        if (first == null) {
            return;
        }
        if (first.error() instanceof CallFailedException e) {
            throw Extraction.failed("entry '" + EntryNames.shown(first.name()) + "'", e);
        }
        if (first.error() instanceof SpewException e) {
            throw e;
        }
        throw new IOException("entry '" + EntryNames.shown(first.name()) + "': " + first.error(), first.error());
    }

    private static int permits(byte[] data) {
        return Math.max(1, data.length);
    }
}
