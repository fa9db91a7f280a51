package io.spew.impl.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read and refuses to read past a limit that the reader moves forward entry by entry:
 * it bounds what the tar reader buffers for the headers of one entry (long names, PAX records, sparse
 * maps) before any of it is parsed.
 */
final class PositionInputStream extends FilterInputStream {
    private long position;
    private long limit;

    PositionInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long position() {
        return position;
    }

    void limit(long limit) {
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        check(1);
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        check(1);
        int n = in.read(buffer, offset, (int) Math.min(length, limit - position));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long count) throws IOException {
        if (count <= 0) {
            return 0;
        }
        check(1);
        long n = in.skip(Math.min(count, limit - position));
        position += n;
        return n;
    }

    /** Nothing promised: Commons Compress asks before every padding skip, costing two system calls. */
    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {}

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void check(long wanted) throws LimitExceededException {
        if (position + wanted > limit) {
            throw new LimitExceededException(position);
        }
    }

    /** Thrown by a read past the limit. */
    static final class LimitExceededException extends IOException {
        LimitExceededException(long position) {
            super("read past the limit at byte " + position);
        }
    }
}
