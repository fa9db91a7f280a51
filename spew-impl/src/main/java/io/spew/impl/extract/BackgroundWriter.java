package io.spew.impl.extract;

import io.spew.SpewException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Makes small regular files on a thread of its own (create, write, attributes, close: the system
 * calls that take most of an extraction's time) while the extraction reads and checks the next
 * entries. It decides nothing: every path it gets was checked and claimed by the extraction, which
 * {@link #drain}s it before touching a path the writer may not have made yet (a hard link's target, a
 * file replaced) and before setting directory attributes. The extraction reads file data straight
 * into slabs of a few megabytes, reused (no garbage, no fresh pages), and hands a slab over with all
 * the files it holds at once (one wake-up per slab, not per file). The first failure stops the
 * writer and is thrown to the extraction by its next call.
 */
final class BackgroundWriter implements AutoCloseable {
    /** Files up to this size go to the writer; larger ones are streamed by the extraction itself. */
    static final int MAX_FILE_SIZE = 1 << 20;
    private static final int SLAB_SIZE = 4 << 20;
    private static final int SLABS = 8;

    private final RootDirectory root;
    private final AttributeWriter attributes;
    private final BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> freeSlabs = new ArrayBlockingQueue<>(SLABS);
    private final Thread thread;
    private int slabsMade;
    private Batch current;
    private volatile Failure failure;

    /** A file to make from {@code slab[offset, offset + length)}. */
    private record File(String name, String path, EntryAttributes attributes, int offset, int length) {}

    /** Files whose data one slab holds; or, without a slab, a marker that the batches before are done. */
    private record Batch(byte[] slab, List<File> files, int[] used, CountDownLatch done) {}

    /** The first failure: the entry it was for, and what went wrong. */
    private record Failure(String name, Throwable error) {}

    BackgroundWriter(RootDirectory root) {
        this.root = root.forAnotherThread();
        this.attributes = new AttributeWriter(this.root);
        this.thread = new Thread(this::run, "spew-extract-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Room for the {@code length} bytes of the next file in the current slab: the slab to read them
     * into, at {@link #offset()}. Hands over the current slab first if they do not fit.
     */
    byte[] reserve(int length) throws IOException {
        rethrowFailure();
        if (current != null && current.used()[0] + length > SLAB_SIZE) {
            handOver();
        }
        if (current == null) {
            current = new Batch(takeSlab(), new ArrayList<>(), new int[1], null);
        }
        return current.slab();
    }

    /** Where in the slab {@link #reserve} returned the next file's data goes. */
    int offset() {
        return current.used()[0];
    }

    /** Queues the file whose data was just read into the reserved room. */
    void submit(String name, String path, EntryAttributes fileAttributes, int length) {
        int offset = current.used()[0];
        current.files().add(new File(name, path, fileAttributes, offset, length));
        current.used()[0] = offset + length;
    }

    /** Waits until every file queued so far is made; throws the writer's failure if there was one. */
    void drain() throws IOException {
        handOver();
        CountDownLatch done = new CountDownLatch(1);
        batches.add(new Batch(null, List.of(), null, done));
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
        batches.clear();
        batches.add(new Batch(null, List.of(), null, null));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handOver() {
        if (current != null) {
            batches.add(current);
            current = null;
        }
    }

    private byte[] takeSlab() throws IOException {
        byte[] slab = freeSlabs.poll();
        if (slab != null) {
            return slab;
        }
        if (slabsMade < SLABS) {
            slabsMade++;
            return new byte[SLAB_SIZE];
        }
        try {
            return freeSlabs.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while extracting");
        }
    }

    private void run() {
        while (true) {
            Batch batch;
            try {
                batch = batches.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch.slab() == null) {
                if (batch.done() == null) {
                    return;
                }
                batch.done().countDown();
                continue;
            }
            for (File file : batch.files()) {
                if (failure == null) {
                    try {
                        write(batch.slab(), file);
                    } catch (IOException | RuntimeException | Error e) {
                        failure = new Failure(file.name(), e);
                    }
                }
            }
            freeSlabs.add(batch.slab());
        }
    }

    private void write(byte[] slab, File task) throws IOException {
        String path = task.path();
        int file = root.create(path, task.attributes().mode() & 0777);
        if (file < 0) {
            throw new CallFailedException("open", path, -file);
        }
        boolean written = false;
        try {
            root.write(file, slab, task.offset(), task.length(), path);
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
}
