package io.spew.daemon.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Finds where the last lines of a log file start, reading it backwards a block at a time. */
final class LogTail {
    private static final int BLOCK = 8192;

    private LogTail() {}

    /**
     * The offset of the first of the last {@code lines} lines of {@code channel}'s file; 0 when it
     * has fewer. A last line without its newline counts as a line.
     */
    static long startOfLastLines(FileChannel channel, int lines) throws IOException {
        long end = channel.size();
        if (lines <= 0) {
            return end;
        }
        if (end > 0 && byteAt(channel, end - 1) == '\n') {
            end--;
        }
        int found = 0;
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
        long blockEnd = end;
        while (blockEnd > 0) {
            long blockStart = Math.max(0, blockEnd - BLOCK);
            buffer.clear().limit((int) (blockEnd - blockStart));
            readFully(channel, buffer, blockStart);
            for (int i = buffer.limit() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n' && ++found == lines) {
                    return blockStart + i + 1;
                }
            }
            blockEnd = blockStart;
        }
        return 0;
    }

    private static byte byteAt(FileChannel channel, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        readFully(channel, one, position);
        return one.get(0);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("the log file shrank while it was read");
            }
            at += read;
        }
    }
}
