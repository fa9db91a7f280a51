package io.spew.impl.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes tar archives record by record, as a hostile writer would: names kept as given (absolute,
 * with {@code ..}), any type flag, PAX records and GNU long names of any size, no end when asked.
 * Each header is made by Commons Compress, so its checksum holds.
 */
final class RawTar {
    private static final int RECORD = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    RawTar file(String name, byte[] content, int mode) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_NORMAL, mode);
        entry.setSize(content.length);
        return entry(entry, content);
    }

    RawTar directory(String name) {
        return entry(entry(name, TarConstants.LF_DIR, 0755), new byte[0]);
    }

    RawTar symlink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_SYMLINK, 0777);
        entry.setLinkName(target);
        return entry(entry, new byte[0]);
    }

    RawTar hardLink(String name, String target) {
        TarArchiveEntry entry = entry(name, TarConstants.LF_LINK, 0644);
        entry.setLinkName(target);
        return entry(entry, new byte[0]);
    }

    RawTar device(String name, byte type, int major, int minor) {
        TarArchiveEntry entry = entry(name, type, 0666);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        return entry(entry, new byte[0]);
    }

    RawTar typed(String name, byte type, byte[] content) {
        TarArchiveEntry entry = entry(name, type, 0644);
        entry.setSize(content.length);
        return entry(entry, content);
    }

    /** A PAX extended header ('x') whose records apply to the next entry. */
    RawTar pax(Map<String, byte[]> records) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + record.getValue().length + 1; // " key=value\n"
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length++;
            }
            data.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
            data.writeBytes(key);
            data.write('=');
            data.writeBytes(record.getValue());
            data.write('\n');
        }
        return typed("PaxHeaders/entry", TarConstants.LF_PAX_EXTENDED_HEADER_LC, data.toByteArray());
    }

    /** A GNU long name ('L') for the next entry. */
    RawTar gnuLongName(byte[] name) {
        byte[] terminated = Arrays.copyOf(name, name.length + 1);
        return typed(TarConstants.GNU_LONGLINK, TarConstants.LF_GNUTYPE_LONGNAME, terminated);
    }

    RawTar entry(TarArchiveEntry entry, byte[] content) {
        byte[] header = new byte[RECORD];
        try {
            entry.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(RECORD - content.length % RECORD) % RECORD]);
        return this;
    }

    /** The archive so far, without its end. */
    byte[] unterminated() {
        return out.toByteArray();
    }

    /** The archive with its two zero records, padded to a 10240-byte block as GNU tar does. */
    byte[] build() {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(out.toByteArray());
        whole.writeBytes(new byte[2 * RECORD]);
        whole.writeBytes(new byte[(TarConstants.DEFAULT_BLKSIZE - whole.size() % TarConstants.DEFAULT_BLKSIZE)
                % TarConstants.DEFAULT_BLKSIZE]);
        return whole.toByteArray();
    }

    private static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setMode(mode);
        entry.setModTime(1_700_000_000_000L);
        return entry;
    }
}
