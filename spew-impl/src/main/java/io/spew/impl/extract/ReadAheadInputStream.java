package io.spew.impl.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Decompresses on a thread of its own, ahead of the reader, as {@code tar -xzf} runs gzip in another
 * process: the extraction's system calls and the decompression then take two processors. Hands
 * over filled chunks through a queue of a few; a failure of the source reaches the reader in order,
 * after the data before it. {@link #close} stops the thread and closes the source.
 */
final class ReadAheadInputStream extends InputStream {
    private static final int CHUNK_SIZE = 1 << 20;
    private static final int CHUNKS = 4;

    private final InputStream source;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread thread;
    private Chunk current;
    private int position;
    private boolean closed;

    /** A filled buffer; length -1 ends the stream, with {@code failure} if the source failed. */
    private record Chunk(byte[] data, int length, Throwable failure) {}

    ReadAheadInputStream(InputStream source, String name) {
        this.source = source;
        for (int i = 0; i < CHUNKS; i++) {
            empty.add(new byte[CHUNK_SIZE]);
        }
        this.thread = new Thread(this::fill, "spew-read-ahead " + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == null || position >= current.length()) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.data(), position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }

    /** Takes the next filled chunk, giving back the current one; false at the end, ever after. */
    private boolean next() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (current != null && current.length() >= 0) {
            empty.add(current.data());
        } else if (current != null) {
            return rethrow(current.failure());
        }
        try {
            current = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for decompressed data");
        }
        position = 0;
        return current.length() >= 0 || rethrow(current.failure());
    }

    /** Throws the source's failure again, if there was one; else false: the end. */
    private static boolean rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return false;
    }

    private void fill() {
        try {
            while (true) {
                byte[] data = empty.take();
                int length = 0;
                while (length < data.length) {
                    int n = source.read(data, length, data.length - length);
                    if (n < 0) {
                        break;
                    }
                    length += n;
                }
                if (length > 0) {
                    filled.put(new Chunk(data, length, null));
                }
                if (length < data.length) {
                    filled.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed by the reader
        } catch (IOException | RuntimeException | Error e) {
            try {
                filled.put(new Chunk(null, -1, e));
            } catch (InterruptedException closed) {
                // closed by the reader
            }
        }
    }
}
