package io.spew.impl.extract;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/** Opens a build archive by what it holds, not by its name: plain tar, or tar in gzip, xz, zstd or bzip2. */
public final class Decompressors {
    /** The read size of every layer; extraction is measured against GNU tar and small reads cost. */
    static final int BUFFER_SIZE = 256 * 1024;

    /** xz streams needing more memory than this to decode (a huge dictionary) are refused. */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    private static final int TAR_RECORD = 512;
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] USTAR = {'u', 's', 't', 'a', 'r'};
    private static final int USTAR_OFFSET = 257;
    private static final int CHECKSUM_OFFSET = 148;
    private static final int CHECKSUM_LENGTH = 8;

    private Decompressors() {}

    /** The compressions told apart, in the words of messages. */
    enum Format {
        TAR("plain tar"), GZIP("gzip"), XZ("xz"), ZSTD("zstd"), BZIP2("bzip2");

        private final String description;

        Format(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /**
     * Detects the compression by content (magic bytes, not name): plain tar ("ustar" at 257, a first
     * header whose checksum holds, or the zero blocks of an empty archive), gzip (concatenated members
     * too), xz, zstd, bzip2; returns the decompressed stream, which the caller closes (closing
     * {@code raw}). Compressed data is mostly decompressed ahead of the reader on a thread of its own,
     * which closing the stream stops. Anything else:
     * {@code SpewException(INVALID_BUILD, "<what> is not a tar archive (…)")}.
     * Damaged compressed data shows later, as an {@link IOException} from a read naming the compression.
     * Closes {@code raw} if it throws.
     *
     * @param what how messages name the archive, such as its file name
     */
    public static InputStream open(InputStream raw, String what) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_SIZE);
        try {
            byte[] head = peek(buffered, TAR_RECORD);
            Format format = detect(head);
            if (format == null) {
                throw new SpewException(ErrorCode.INVALID_BUILD, what + " is not a tar archive (" + describe(head)
                        + "; expected plain tar or tar compressed with gzip, xz, zstd or bzip2)");
            }
            if (format == Format.TAR) {
                return buffered;
            }
            InputStream decompressed = new DecompressedInputStream(decompress(format, buffered, what), format, what);
            return readAhead(format) ? new ReadAheadInputStream(decompressed, what) : decompressed;
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The format of an archive that starts with {@code head}, or null. */
    static Format detect(byte[] head) {
        if (startsWith(head, GZIP, 0)) {
            return Format.GZIP;
        }
        if (startsWith(head, XZ, 0)) {
            return Format.XZ;
        }
        if (startsWith(head, ZSTD, 0)) {
            return Format.ZSTD;
        }
        if (startsWith(head, BZIP2, 0) && head.length > 3 && head[3] >= '1' && head[3] <= '9') {
            return Format.BZIP2;
        }
        if (head.length == TAR_RECORD
                && (startsWith(head, USTAR, USTAR_OFFSET) || checksumHolds(head) || allZero(head))) {
            return Format.TAR;
        }
        return null;
    }

    /**
     * Whether to decompress on a thread of its own. The extraction already takes two (one reads and
     * checks, one writes files); with two processors, zstd decodes so fast that a third thread costs
     * more in hand-overs than it saves (measured: 0.41-0.56 s inline against 0.56-0.66 s ahead for
     * 220 MB), while gzip, xz and bzip2 are slower than everything else and gain from it.
     */
    private static boolean readAhead(Format format) {
        return format != Format.ZSTD || Runtime.getRuntime().availableProcessors() > 2;
    }

    /** The decompressor of {@code format}, which reads (and checks) the first header at once. */
    private static InputStream decompress(Format format, InputStream in, String what) {
        try {
            return switch (format) {
                case TAR -> in;
                case GZIP -> new GZIPInputStream(in, BUFFER_SIZE);
                case XZ -> new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
                case ZSTD -> new ZstdInputStreamNoFinalizer(in);
                case BZIP2 -> new BZip2CompressorInputStream(in, true);
            };
        } catch (IOException | RuntimeException e) {
            throw new SpewException(ErrorCode.INVALID_BUILD, format.description() + " data of " + what
                    + " is damaged or truncated: " + e.getMessage(), e);
        }
    }

    private static byte[] peek(BufferedInputStream in, int length) throws IOException {
        in.mark(length);
        byte[] head = in.readNBytes(length);
        in.reset();
        return head;
    }

    private static boolean startsWith(byte[] data, byte[] prefix, int offset) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the checksum field of a tar header (octal at 148, up to 8 bytes, NUL or space
     * terminated) is the sum of the header's bytes with that field counted as spaces. Commons
     * Compress's check throws on some garbage; this one only answers.
     */
    static boolean checksumHolds(byte[] header) {
        long stored = 0;
        int i = CHECKSUM_OFFSET;
        while (i < CHECKSUM_OFFSET + CHECKSUM_LENGTH && header[i] == ' ') {
            i++;
        }
        int digits = 0;
        for (; i < CHECKSUM_OFFSET + CHECKSUM_LENGTH && header[i] >= '0' && header[i] <= '7'; i++, digits++) {
            stored = stored * 8 + header[i] - '0';
        }
        if (digits == 0 || i < CHECKSUM_OFFSET + CHECKSUM_LENGTH && header[i] != 0 && header[i] != ' ') {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int j = 0; j < header.length; j++) {
            byte b = j >= CHECKSUM_OFFSET && j < CHECKSUM_OFFSET + CHECKSUM_LENGTH ? (byte) ' ' : header[j];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    private static boolean allZero(byte[] data) {
        for (byte b : data) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(byte[] head) {
        if (head.length == 0) {
            return "it is empty";
        }
        int shown = Math.min(head.length, 8);
        return "it starts with " + HexFormat.ofDelimiter(" ").formatHex(head, 0, shown);
    }
}
