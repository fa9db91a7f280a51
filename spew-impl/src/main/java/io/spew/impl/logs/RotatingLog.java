package io.spew.impl.logs;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.os.PipeSink;
import io.spew.impl.os.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Appends one stream's output to its current log file and rotates the files by size. A file is
 * rotated at the end of a line: when the next bytes would take it past the size, it ends after the
 * last whole line that fits, or, when no line ends within the size, after the line that crosses it.
 * Only a line longer than twice the size is cut. Nothing is held in memory between appends, and the
 * files are opened at the first output and closed when {@link OpenLogFiles} drops them, to open at
 * the next. As a {@link PipeSink} it has the pump move the bytes
 * from the pipe into the file, so that none is ever only in memory. One thread appends; closing the
 * files may come from another.
 */
final class RotatingLog implements PipeSink, AutoCloseable {
    private static final byte NEWLINE = '\n';

    private final LogFiles files;
    private final LogSettings settings;
    private final Clock clock;
    private final OpenLogFiles openFiles;
    private OutputFile log;
    private FileChannel index;
    private long size;
    private boolean atLineStart;
    private long lastIndexedSecond;
    /** Whether the fields above hold the state of the files, which were closed only to save descriptors. */
    private boolean known;

    RotatingLog(LogFiles files, LogSettings settings, Clock clock) {
        this(files, settings, clock, new OpenLogFiles(Integer.MAX_VALUE, clock));
    }

    RotatingLog(LogFiles files, LogSettings settings, Clock clock, OpenLogFiles openFiles) {
        this.files = requireNonNull(files, "files is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.openFiles = requireNonNull(openFiles, "openFiles is null");
    }

    /** Appends all of {@code bytes} from memory, rotating as needed. */
    synchronized void append(ByteBuffer bytes) {
        try {
            accept(bytes, (file, count) -> {
                ByteBuffer part = bytes.duplicate();
                part.limit(part.position() + count);
                file.write(part);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the bytes {@code waiting} shows (from the pipe they wait in) to the files, rotating as needed. */
    @Override
    public void accept(ByteBuffer waiting, PipeSink.Mover out) throws IOException {
        synchronized (this) {
            try {
                while (waiting.hasRemaining()) {
                    appendSome(waiting, out);
                }
            } catch (IOException | RuntimeException e) {
                known = false; // the next append learns the files' state afresh
                closeFiles();
                throw e;
            }
        }
        openFiles.written(this);
    }

    private void appendSome(ByteBuffer bytes, PipeSink.Mover out) throws IOException {
        long limit = settings.fileBytes();
        long hardLimit = 2 * limit;
        if (log == null) {
            open();
        }
        if (size >= limit && (atLineStart || size >= hardLimit)) {
            rotate();
            open();
        }
        int start = bytes.position();
        int remaining = bytes.remaining();
        long room = limit - size;
        if (remaining <= room) {
            write(bytes, remaining, out);
            return;
        }
        // past the size: end the file after the last line that fits, else after the line that crosses it
        int lineEnd = room > 0 ? lastNewline(bytes, start, start + (int) room) : -1;
        if (lineEnd < 0) {
            lineEnd = firstNewline(bytes, start, start + (int) Math.min(remaining, hardLimit - size));
        }
        if (lineEnd >= 0) {
            write(bytes, lineEnd - start + 1, out);
            rotate();
            return;
        }
        // no line ends in reach: the line goes on in this file, cut only at twice the size
        write(bytes, (int) Math.min(remaining, hardLimit - size), out);
        if (size >= hardLimit) {
            rotate();
        }
    }

    private void write(ByteBuffer bytes, int count, PipeSink.Mover out) throws IOException {
        int start = bytes.position();
        index(bytes, start, count);
        out.moveTo(log, count);
        bytes.position(start + count);
        size = log.size();
        atLineStart = bytes.get(start + count - 1) == NEWLINE;
    }

    /** Notes where the first line begun in a new second starts. */
    private void index(ByteBuffer bytes, int start, int count) throws IOException {
        long second = clock.instant().getEpochSecond();
        if (second <= lastIndexedSecond) {
            return;
        }
        long offset;
        if (atLineStart) {
            offset = size;
        } else {
            int newline = firstNewline(bytes, start, start + count);
            if (newline < 0) {
                return;
            }
            offset = size + (newline - start) + 1;
        }
        if (index == null) {
            index = FileChannel.open(files.index(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        LogIndex.append(index, second, offset);
        lastIndexedSecond = second;
    }

    private void open() throws IOException {
        Path current = files.current();
        log = OutputFile.open(current);
        if (known && log.size() == size) {
            return; // closed for a while, written by nobody since
        }
        size = log.size();
        atLineStart = size == 0 || lastByte(current, size) == NEWLINE;
        lastIndexedSecond = LogIndex.lastSecond(files.index(0));
        known = true;
    }

    /** Makes the current file, empty, unless it is there: readers find it from the start. */
    void touch() {
        try {
            Files.createFile(files.current());
        } catch (FileAlreadyExistsException e) {
            // written before
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create " + files.current() + ": " + e.getMessage(), e);
        }
    }

    /** Moves every file one generation up, dropping the oldest, and starts an empty current file. */
    private void rotate() throws IOException {
        closeFiles();
        int oldest = settings.files() - 1;
        if (oldest == 0) {
            Files.deleteIfExists(files.index(0));
            Files.deleteIfExists(files.current());
        } else {
            Files.deleteIfExists(files.index(oldest));
            Files.deleteIfExists(files.log(oldest));
            for (int generation = oldest - 1; generation >= 0; generation--) {
                // the log before its index: a reader finds the log moved first and the index a moment later
                move(files.log(generation), files.log(generation + 1));
                move(files.index(generation), files.index(generation + 1));
            }
        }
        touch();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // a generation that was never written
        }
    }

    private static byte lastByte(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            return channel.read(one, size - 1) == 1 ? one.get(0) : NEWLINE;
        }
    }

    private static int lastNewline(ByteBuffer bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes.get(i) == NEWLINE) {
                return i;
            }
        }
        return -1;
    }

    private static int firstNewline(ByteBuffer bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes.get(i) == NEWLINE) {
                return i;
            }
        }
        return -1;
    }

    private void closeFiles() throws IOException {
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            log = null;
            if (index != null) {
                index.close();
                index = null;
            }
        }
    }

    /** Closes the files until the next output, keeping what is known of them. */
    synchronized void closeIdleFiles() {
        try {
            closeFiles();
        } catch (IOException e) {
            known = false;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        openFiles.closed(this);
        known = false;
        closeFiles();
    }
}
