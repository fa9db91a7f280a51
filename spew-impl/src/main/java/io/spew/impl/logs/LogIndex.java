package io.spew.impl.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The time index kept beside a log file: entries of two longs, an epoch second and the offset of
 * the first line that began in that second, one for every second in which a line began (as the
 * engine read it). The log text holds no timestamps; {@code --since} starts at the first entry of
 * its second or later.
 */
final class LogIndex {
    static final int ENTRY_BYTES = 2 * Long.BYTES;

    private LogIndex() {}

    /** Appends one entry to an index open for appending. */
    static void append(FileChannel index, long second, long offset) throws IOException {
        ByteBuffer entry = ByteBuffer.allocate(ENTRY_BYTES).putLong(second).putLong(offset).flip();
        while (entry.hasRemaining()) {
            index.write(entry);
        }
    }

    /** The second of the last whole entry of an index, or {@link Long#MIN_VALUE} when it has none. */
    static long lastSecond(Path index) throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ)) {
            long entries = channel.size() / ENTRY_BYTES;
            return entries == 0 ? Long.MIN_VALUE : read(channel, entries - 1).getLong(0);
        } catch (NoSuchFileException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * The offset of the first entry at or after {@code second}: an entry is made in every second in
     * which a line begins, so the lines from there on are those begun in that second or later.
     * -1 when the index is missing or all its entries are earlier.
     */
    static long offsetAtOrAfter(Path index, long second) throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ)) {
            long low = 0;
            long high = channel.size() / ENTRY_BYTES - 1;
            long found = -1;
            while (low <= high) { // entries are in time order: binary search
                long middle = (low + high) >>> 1;
                ByteBuffer entry = read(channel, middle);
                if (entry.getLong(0) >= second) {
                    found = entry.getLong(Long.BYTES);
                    high = middle - 1;
                } else {
                    low = middle + 1;
                }
            }
            return found;
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private static ByteBuffer read(FileChannel channel, long entry) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_BYTES);
        long position = entry * ENTRY_BYTES;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the index shrank while it was read");
            }
        }
        return buffer;
    }
}
