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
 * Makes directories, small regular files, symbolic links and FIFOs on a thread of its own (the
 * system calls that take most of an extraction's time) while the extraction reads and checks the
 * next entries. It decides nothing: every path it gets was checked and claimed by the extraction,
 * which {@link #drain}s it before touching a path the writer may not have made yet (a hard link's
 * target, a file replaced) and before setting directory attributes; operations run in the order
 * given, so a directory exists before what goes in it. The extraction reads file data straight into
 * slabs of a few megabytes, reused (no garbage, no fresh pages), and hands over operations in
 * batches (one wake-up per batch, not per file). The first failure stops the writer and
 * is thrown to the extraction by its next call.
 */
final class BackgroundWriter implements AutoCloseable {
    /** Files up to this size are read whole into a slab; larger ones in chunks of it. */
    static final int CHUNK_SIZE = 1 << 20;
    private static final int SLAB_SIZE = 4 << 20;
    private static final int SLABS = 8;
    private static final int MAX_BATCH = 1024;
    private static final int MIN_BATCH = 32;

    private final FileMaker maker;
    private final BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> freeSlabs = new ArrayBlockingQueue<>(SLABS);
    private final Thread thread;
    private int slabsMade;
    private Batch current;
    private volatile Failure failure;
    /** The writer thread's file of many chunks, open between {@link OpenFile} and {@link CloseFile}. */
    private OpenFile openFile;
    private int openDescriptor = -1;

    /** Something to make, for the entry {@code name}. */
    private sealed interface Operation {
        String name();
    }

    private record MakeDirectory(String name, String path) implements Operation {}

    /** A file whose data is {@code slab[offset, offset + length)} of its batch. */
    private record MakeFile(String name, String path, EntryAttributes attributes, int offset, int length)
            implements Operation {}

    private record MakeSymlink(String name, String path, String target, EntryAttributes attributes)
            implements Operation {}

    private record MakeFifo(String name, String path, EntryAttributes attributes) implements Operation {}

    /** The start of a file of many chunks: opens it, for the chunks that follow. */
    private record OpenFile(String name, String path, EntryAttributes attributes) implements Operation {}

    /** The next chunk of the open file: {@code slab[offset, offset + length)} of its batch. */
    private record WriteChunk(String name, int offset, int length) implements Operation {}

    /** The end of the open file: its attributes, and closing it. */
    private record CloseFile(String name) implements Operation {}

    /** Operations and the slab their files' data is in; without operations, a marker to count down. */
    private record Batch(byte[] slab, List<Operation> operations, int[] used, CountDownLatch done) {}

    /** The first failure: the entry it was for, and what went wrong. */
    private record Failure(String name, Throwable error) {}

    BackgroundWriter(RootDirectory root) {
        this.maker = new FileMaker(root.forAnotherThread());
        this.thread = new Thread(this::run, "spew-extract-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void directory(String name, String path) throws IOException {
        add(new MakeDirectory(name, path));
    }

    void symlink(String name, String path, String target, EntryAttributes attributes) throws IOException {
        add(new MakeSymlink(name, path, target, attributes));
    }

    void fifo(String name, String path, EntryAttributes attributes) throws IOException {
        add(new MakeFifo(name, path, attributes));
    }

    /**
     * Room for the {@code length} bytes of the next file: the slab to read them into, at
     * {@link #offset()}. Hands over the current batch first if they do not fit its slab.
     */
    byte[] reserve(int length) throws IOException {
        rethrowFailure();
        if (current != null && current.used()[0] + length > SLAB_SIZE) {
            handOver();
        }
        return batch().slab();
    }

    /** Where in the slab {@link #reserve} returned the next file's data goes. */
    int offset() {
        return current.used()[0];
    }

    /** Queues the file whose data was just read into the reserved room. */
    void file(String name, String path, EntryAttributes attributes, int length) throws IOException {
        int offset = current.used()[0];
        current.used()[0] = offset + length;
        add(new MakeFile(name, path, attributes, offset, length));
    }

    /** Starts a file whose data comes in {@link #chunk}s (each read into {@link #reserve}d room). */
    void openFile(String name, String path, EntryAttributes attributes) throws IOException {
        add(new OpenFile(name, path, attributes));
    }

    /** Queues the next chunk of the open file, just read into the reserved room. */
    void chunk(String name, int length) throws IOException {
        int offset = current.used()[0];
        current.used()[0] = offset + length;
        add(new WriteChunk(name, offset, length));
    }

    /** Ends the open file. */
    void closeFile(String name) throws IOException {
        add(new CloseFile(name));
    }

    /** Waits until everything queued so far is made; throws the writer's failure if there was one. */
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

    private void add(Operation operation) throws IOException {
        List<Operation> operations = batch().operations();
        operations.add(operation);
        // Full batches keep wake-ups rare; a small one goes at once when the writer has nothing to do.
        if (operations.size() >= MAX_BATCH || operations.size() >= MIN_BATCH && batches.isEmpty()) {
            handOver();
        }
    }

    private Batch batch() throws IOException {
        rethrowFailure();
        if (current == null) {
            current = new Batch(takeSlab(), new ArrayList<>(), new int[1], null);
        }
        return current;
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
                    abandonOpenFile();
                    return;
                }
                batch.done().countDown();
                continue;
            }
            for (Operation operation : batch.operations()) {
                if (failure == null) {
                    try {
                        make(operation, batch.slab());
                    } catch (IOException | RuntimeException | Error e) {
                        failure = new Failure(operation.name(), e);
                        abandonOpenFile();
                    }
                }
            }
            freeSlabs.add(batch.slab());
        }
    }

    private void make(Operation operation, byte[] slab) throws IOException {
        if (operation instanceof MakeFile f) {
            maker.file(f.name(), f.path(), f.attributes(), slab, f.offset(), f.length());
        } else if (operation instanceof MakeDirectory d) {
            maker.directory(d.name(), d.path());
        } else if (operation instanceof MakeSymlink s) {
            maker.symlink(s.name(), s.path(), s.target(), s.attributes());
        } else if (operation instanceof MakeFifo f) {
            maker.fifo(f.name(), f.path(), f.attributes());
        } else if (operation instanceof OpenFile o) {
            openDescriptor = maker.open(o.name(), o.path(), o.attributes());
            openFile = o;
        } else if (operation instanceof WriteChunk w) {
            maker.write(openDescriptor, openFile.path(), slab, w.offset(), w.length());
        } else if (operation instanceof CloseFile) {
            int file = openDescriptor;
            openDescriptor = -1;
            maker.close(file, openFile.path(), openFile.attributes());
        }
    }

    private void abandonOpenFile() {
        if (openDescriptor >= 0) {
            Syscalls.LIBC.close(openDescriptor);
            openDescriptor = -1;
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
