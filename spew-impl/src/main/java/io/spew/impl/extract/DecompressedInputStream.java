package io.spew.impl.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decompressor whose failures say which compression of which archive is damaged, and which never
 * lets a decoder's unchecked exception out.
 */
final class DecompressedInputStream extends FilterInputStream {
    private final Decompressors.Format format;
    private final String what;

    DecompressedInputStream(InputStream in, Decompressors.Format format, String what) {
        super(in);
        this.format = format;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException | RuntimeException e) {
            throw damaged(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw damaged(e);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return in.skip(count);
        } catch (IOException | RuntimeException e) {
            throw damaged(e);
        }
    }

    private IOException damaged(Exception e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DamagedException(format.description() + " data of " + what + " is damaged or truncated: "
                + detail, e);
    }

    /** Compressed data that does not decompress, in a message naming the archive. */
    static final class DamagedException extends IOException {
        DamagedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
