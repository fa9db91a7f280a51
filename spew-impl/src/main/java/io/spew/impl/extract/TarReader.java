package io.spew.impl.extract;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Commons Compress's tar reader made strict: a header checksum must hold, the archive must end with
 * an end-of-archive block (anything shorter is truncated), the headers of one entry (PAX records, GNU
 * long names, sparse maps) are refused past a limit before they are buffered, and every failure
 * becomes an {@code INVALID_BUILD} naming the entry. It also keeps the raw PAX records of the current
 * entry, whose {@code SCHILY.xattr.*} values are bytes that Commons Compress decodes as UTF-8.
 */
final class TarReader extends TarArchiveInputStream {
    private static final int NAME_PREFIX = 200;

    private final PositionInputStream input;
    private final int maxHeaderBytes;
    private final ByteArrayOutputStream paxRecords = new ByteArrayOutputStream();
    private final ByteArrayOutputStream longName = new ByteArrayOutputStream();
    private boolean endOfArchive;
    private String previous;

    private TarReader(PositionInputStream input, int maxHeaderBytes) {
        super(input, TarConstants.DEFAULT_BLKSIZE, TarConstants.DEFAULT_RCDSIZE, "UTF-8", false);
        this.input = input;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    static TarReader open(InputStream tar, ExtractionLimits limits) {
        return new TarReader(new PositionInputStream(tar, headerBudget(0, limits.maxHeaderBytes())),
                limits.maxHeaderBytes());
    }

    /** The next entry, or null after the end-of-archive block. */
    TarArchiveEntry next() {
        paxRecords.reset();
        longName.reset();
        TarArchiveEntry entry;
        try {
            entry = getNextEntry();
        } catch (PositionInputStream.LimitExceededException e) {
            throw new SpewException(ErrorCode.INVALID_BUILD, headersTooLarge(), e);
        } catch (DecompressedInputStream.DamagedException e) {
            throw invalid(here() + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) { // Commons Compress recurses once per chained extended header
            throw invalid(here() + ": too many extended headers in a row", null);
        } catch (IOException | RuntimeException e) {
            throw invalid(previous == null ? "the first header is damaged (" + e.getMessage()
                    + "): a damaged archive, or not a tar archive" : here() + ": damaged header (" + e.getMessage()
                    + ")", e);
        }
        if (entry == null) {
            if (!endOfArchive) {
                throw invalid(here() + ": the archive ends without an end-of-archive block (truncated?)", null);
            }
            return null;
        }
        if (!entry.isCheckSumOK()) {
            throw invalid("entry '" + EntryNames.shown(entry.getName())
                    + "': wrong header checksum (a damaged archive, or not a tar archive)", null);
        }
        previous = entry.getName();
        // The entry's data, then its padding, then at most the next entry's headers.
        input.limit(headerBudget(input.position() + entry.getSize(), maxHeaderBytes));
        return entry;
    }

    /** Reads the current entry's data, refusing a damaged or truncated archive by the entry's name. */
    int readData(byte[] buffer, int offset, int length) {
        try {
            return read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw invalid("entry '" + previous + "': damaged or truncated data (" + e.getMessage() + ")", e);
        }
    }

    /** The PAX records ({@code length key=value\n}) that came with the current entry, raw. */
    byte[] paxRecords() {
        return paxRecords.toByteArray();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        TarArchiveEntry current = getCurrentEntry();
        if (n > 0 && current != null) {
            if (current.isPaxHeader()) {
                paxRecords.write(buffer, offset, n);
            } else if ((current.isGNULongNameEntry() || current.isGNULongLinkEntry())
                    && longName.size() < NAME_PREFIX) {
                longName.write(buffer, offset, Math.min(n, NAME_PREFIX - longName.size()));
            }
        }
        return n;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record == null && !endOfArchive) {
            throw new IOException("unexpected end of archive in a header");
        }
        return record;
    }

    @Override
    protected boolean isEOFRecord(byte[] record) {
        boolean end = super.isEOFRecord(record);
        if (end && record != null) {
            endOfArchive = true;
        }
        return end;
    }

    private String headersTooLarge() {
        String name = longName.size() > 0 ? longName.toString(StandardCharsets.UTF_8) : paxPath();
        String entry = name == null ? here() : "entry '" + name + (name.length() >= NAME_PREFIX ? "…'" : "'");
        return entry + ": headers larger than the limit of " + maxHeaderBytes
                + " bytes (a long name or PAX header; raise the header size limit if it is genuine)";
    }

    private String paxPath() {
        String records = paxRecords.toString(StandardCharsets.UTF_8);
        int start = records.indexOf(" path=");
        if (start < 0) {
            return null;
        }
        start += " path=".length();
        int end = records.indexOf('\n', start);
        end = Math.min(end < 0 ? records.length() : end, start + NAME_PREFIX);
        return records.substring(start, end);
    }

    private String here() {
        return previous == null ? "the first entry" : "the entry after '" + previous + "'";
    }

    private static long headerBudget(long dataEnd, int maxHeaderBytes) {
        return dataEnd + TarConstants.DEFAULT_RCDSIZE // padding of the data
                + maxHeaderBytes + TarConstants.DEFAULT_RCDSIZE // extended headers, the header
                + TarConstants.DEFAULT_BLKSIZE; // the rest of the last block after the end
    }

    private static SpewException invalid(String message, Throwable cause) {
        return new SpewException(ErrorCode.INVALID_BUILD, message, cause);
    }
}
