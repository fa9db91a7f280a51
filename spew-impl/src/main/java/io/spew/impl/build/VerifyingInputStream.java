package io.spew.impl.build;

import io.spew.build.ImportProgress;
import io.spew.impl.trust.SignatureVerifier;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The raw bytes of an archive on their way to the extractor: each byte read is hashed (the build's
 * identity), fed to the signature check, and counted for progress, so that the bytes extracted are
 * exactly the bytes verified. Skipping reads too. A copy, when given, receives each byte too: the
 * archive a build keeps is the one verified, not the file as it may be later.
 */
final class VerifyingInputStream extends FilterInputStream {
    private static final long PROGRESS_STEP = 4L << 20;

    private final MessageDigest sha256;
    private final SignatureVerifier.Verification verification;
    private final ImportProgress progress;
    private final long total;
    private final OutputStream copy;
    private final byte[] skipBuffer = new byte[64 * 1024];
    private long read;
    private long reported;

    VerifyingInputStream(InputStream raw, SignatureVerifier.Verification verification, ImportProgress progress,
            long total, OutputStream copy) {
        super(raw);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        this.verification = verification;
        this.progress = progress;
        this.total = total;
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            sha256.update(buffer, offset, n);
            if (verification != null) {
                verification.update(buffer, offset, n);
            }
            if (copy != null) {
                copy.write(buffer, offset, n);
            }
            read += n;
            if (read - reported >= PROGRESS_STEP) {
                reported = read;
                progress.progress(read, total);
            }
        }
        return n;
    }

    @Override
    public long skip(long count) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            int n = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, count - skipped));
            if (n < 0) {
                break;
            }
            skipped += n;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what the extractor left (trailing blocks) so that the whole file is hashed and verified. */
    void drain() throws IOException {
        byte[] buffer = new byte[256 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashed and verified as read
        }
        progress.progress(read, total);
    }

    long bytesRead() {
        return read;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
