package io.spew.impl.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A place in a stream's files: the index of a file (oldest first) and an offset in it.
 *
 * @param segment the index of the file in the list, oldest first
 * @param offset the offset in that file
 */
record LogPosition(int segment, long offset) {
    private static final int BLOCK = 8192;

    /** Where reading from {@code start} begins in {@code segments} (oldest first): the later of tail and since. */
    static LogPosition of(List<LogReader.Segment> segments, LogStart start) throws IOException {
        LogPosition position = new LogPosition(0, 0);
        if (start.tail() >= 0) {
            position = later(position, tail(segments, start.tail()));
        }
        if (start.since() != null) {
            position = later(position, since(segments, start.since().getEpochSecond()));
        }
        return position;
    }

    private static LogPosition later(LogPosition a, LogPosition b) {
        if (a.segment != b.segment) {
            return a.segment > b.segment ? a : b;
        }
        return a.offset >= b.offset ? a : b;
    }

    /**
     * The start of the last {@code lines} lines across the files, read backwards a block at a
     * time; a last line without its newline counts as a line.
     */
    static LogPosition tail(List<LogReader.Segment> segments, int lines) throws IOException {
        if (segments.isEmpty()) {
            return new LogPosition(0, 0);
        }
        if (lines == 0) {
            int last = segments.size() - 1;
            return new LogPosition(last, segments.get(last).size());
        }
        boolean last = true; // the very last byte: a newline there ends the last line, it starts none
        int found = 0;
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        for (int segment = segments.size() - 1; segment >= 0; segment--) {
            FileChannel channel = segments.get(segment).channel();
            long blockEnd = segments.get(segment).size();
            while (blockEnd > 0) {
                long blockStart = Math.max(0, blockEnd - BLOCK);
                buffer.clear().limit((int) (blockEnd - blockStart));
                readFully(channel, buffer, blockStart);
                for (int i = buffer.limit() - 1; i >= 0; i--) {
                    boolean newline = buffer.get(i) == '\n';
                    if (last) {
                        last = false;
                        if (newline) {
                            continue;
                        }
                    }
                    if (newline && ++found == lines) {
                        return new LogPosition(segment, blockStart + i + 1);
                    }
                }
                blockEnd = blockStart;
            }
        }
        return new LogPosition(0, 0);
    }

    /**
     * The first line begun in {@code second} or later: in the oldest file whose index has such an
     * entry; the end of the newest file when none has.
     */
    static LogPosition since(List<LogReader.Segment> segments, long second) throws IOException {
        for (int segment = 0; segment < segments.size(); segment++) {
            LogReader.Segment file = segments.get(segment);
            long offset = LogIndex.offsetAtOrAfter(file.path().resolveSibling(file.path().getFileName() + ".idx"),
                    second);
            if (offset >= 0) {
                return new LogPosition(segment, Math.min(offset, file.size()));
            }
        }
        int last = segments.size() - 1;
        return last < 0 ? new LogPosition(0, 0) : new LogPosition(last, segments.get(last).size());
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("a log file shrank while it was read");
            }
        }
    }
}
