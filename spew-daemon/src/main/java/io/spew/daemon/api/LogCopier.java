package io.spew.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies what a growing log file holds past the last copy to a stream. The file may not exist yet
 * (the instance has not written) and may start over shorter (it was truncated): then copying
 * starts again from its beginning.
 */
final class LogCopier implements AutoCloseable {
    private final Path file;
    private final int tail;
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    private long position;

    /**
     * @param tail how many of the last lines to start with, or -1 for all of the file
     */
    LogCopier(Path file, int tail, OutputStream out) {
        this.file = file;
        this.tail = tail;
        this.out = out;
    }

    /** Copies everything the file holds now; returns whether anything was copied. */
    boolean copyAvailable() throws IOException {
        if (channel == null && !open()) {
            return false;
        }
        long size = channel.size();
        if (size < position) {
            position = 0;
        }
        boolean copied = false;
        while (position < size) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                break;
            }
            out.write(buffer.array(), 0, read);
            position += read;
            copied = true;
        }
        if (copied) {
            out.flush();
        }
        return copied;
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        position = tail < 0 ? 0 : LogTail.startOfLastLines(channel, tail);
        return true;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
