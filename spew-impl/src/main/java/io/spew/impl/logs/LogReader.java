package io.spew.impl.logs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads one output stream across its rotated files, oldest first, from a {@link LogStart}, and
 * follows it: each {@link #copyAvailable} copies what was written since the last, going on into the
 * next file when the current one has been rotated (it keeps the file it reads open, so it finishes
 * a file even if it is rotated or dropped meanwhile). A reader that falls more than the number of
 * kept files behind goes on with the oldest file kept. Not thread-safe.
 */
public final class LogReader implements AutoCloseable {
    private static final int LISTING_ATTEMPTS = 10;
    private static final int BUFFER = 64 * 1024;

    private final LogFiles files;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final List<Segment> pending = new ArrayList<>(); // files after the current one, oldest first
    private Segment current;
    private long position;

    private LogReader(LogFiles files) {
        this.files = files;
    }

    /** Opens the stream whose current file is {@code currentFile}, positioned at {@code start}. */
    public static LogReader open(Path currentFile, LogStart start) throws IOException {
        requireNonNull(start, "start is null");
        LogReader reader = new LogReader(new LogFiles(currentFile));
        try {
            List<Segment> segments = reader.list();
            LogPosition at = LogPosition.of(segments, start);
            for (int i = 0; i < segments.size(); i++) {
                if (i < at.segment()) {
                    segments.get(i).channel().close();
                } else {
                    reader.pending.add(segments.get(i));
                }
            }
            reader.position = at.offset();
            if (!reader.pending.isEmpty()) {
                reader.current = reader.pending.remove(0);
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Copies what the files held when the reader was opened, and nothing written since: a snapshot,
     * as {@code tail -n} prints, so a fast writer cannot stretch {@code --tail 1} into many lines.
     */
    public void copyOpened(OutputStream out) throws IOException {
        if (current == null) {
            return;
        }
        copyTo(out, current.size());
        for (Segment segment : pending) {
            next(segment);
            copyTo(out, current.size());
        }
        pending.clear();
    }

    /** Copies everything written until now; returns whether anything was copied. */
    public boolean copyAvailable(OutputStream out) throws IOException {
        boolean copied = false;
        while (true) {
            if (current == null) {
                pending.addAll(list()); // nothing existed yet: start with the oldest file there is now
                if (pending.isEmpty()) {
                    return copied;
                }
                current = pending.remove(0);
                position = 0;
            }
            copied |= copyToEnd(out);
            if (!pending.isEmpty()) {
                next(pending.remove(0));
                continue;
            }
            Object key = fileKey(files.current());
            if (current.key().equals(key)) {
                return copied; // still the file written to
            }
            copied |= copyToEnd(out); // rotated: what was written before the rename
            Segment successor = successor();
            if (successor == null) {
                return copied;
            }
            next(successor);
        }
    }

    private void next(Segment segment) throws IOException {
        current.channel().close();
        current = segment;
        position = 0;
    }

    private boolean copyToEnd(OutputStream out) throws IOException {
        return copyTo(out, Long.MAX_VALUE);
    }

    private boolean copyTo(OutputStream out, long end) throws IOException {
        boolean copied = false;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int read = current.channel().read(buffer, position);
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

    /** The file written after the one being read, once it exists; null until then. */
    private Segment successor() throws IOException {
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            int generation = generationOf(current.key());
            if (generation < 0) {
                // dropped while read: the oldest file kept follows, as near as can be known
                List<Segment> all = list();
                if (all.isEmpty()) {
                    return null;
                }
                for (int i = 1; i < all.size(); i++) {
                    all.get(i).channel().close();
                }
                return all.get(0).key().equals(current.key()) ? null : all.get(0);
            }
            if (generation == 0) {
                return null; // it is the current file again: nothing rotated after all
            }
            int newer = 0;
            for (int other : generations()) {
                if (other < generation) {
                    newer = other; // the nearest newer one: a killed engine may have left a gap
                }
            }
            Segment next = openSegment(files.log(newer));
            if (next == null || generationOf(current.key()) == generation) {
                return next; // no rotation in between: this is the file that follows
            }
            next.channel().close();
        }
        return null; // rotating faster than it can be followed: try again at the next copy
    }

    private int generationOf(Object key) throws IOException {
        for (int generation : generations()) {
            if (key.equals(fileKey(files.log(generation)))) {
                return generation;
            }
        }
        return -1;
    }

    /**
     * The generations there are, newest (0) first, from the directory: an engine killed in the
     * middle of a rotation may leave one out.
     */
    private List<Integer> generations() throws IOException {
        String prefix = files.current().getFileName() + ".";
        TreeSet<Integer> found = new TreeSet<>();
        found.add(0);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.current().getParent(), prefix + "*")) {
            for (Path entry : entries) {
                String suffix = entry.getFileName().toString().substring(prefix.length());
                if (!suffix.isEmpty() && suffix.length() <= 4 && suffix.chars().allMatch(Character::isDigit)) {
                    found.add(Integer.parseInt(suffix));
                }
            }
        } catch (NoSuchFileException e) {
            // no directory: no files
        }
        return new ArrayList<>(found);
    }

    /**
     * Opens every file of the stream, oldest first, newest first in time: opening them newest
     * first and finding no file twice shows that no rotation came in between.
     */
    private List<Segment> list() throws IOException {
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            List<Segment> newestFirst = new ArrayList<>();
            boolean consistent = true;
            for (int generation : generations()) {
                Segment segment = openSegment(files.log(generation));
                if (segment == null) {
                    continue; // rotated or dropped since the listing: the check below tells
                }
                if (newestFirst.stream().anyMatch(seen -> seen.key().equals(segment.key()))) {
                    segment.channel().close();
                    consistent = false;
                    break;
                }
                newestFirst.add(segment);
            }
            if (consistent) {
                List<Segment> oldestFirst = new ArrayList<>(newestFirst.size());
                for (int i = newestFirst.size() - 1; i >= 0; i--) {
                    oldestFirst.add(newestFirst.get(i));
                }
                return oldestFirst;
            }
            for (Segment segment : newestFirst) {
                segment.channel().close();
            }
        }
        throw new IOException("the files of " + files.current() + " are rotated faster than they can be listed");
    }

    /** Opens a log file and learns its identity, checking that the path named the same file throughout. */
    private static Segment openSegment(Path log) throws IOException {
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            Object before = fileKey(log);
            FileChannel channel;
            try {
                channel = FileChannel.open(log, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            Object after = fileKey(log);
            if (after != null && after.equals(before)) {
                return new Segment(log, channel, after, channel.size());
            }
            channel.close();
        }
        return null;
    }

    private static Object fileKey(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        List<Segment> open = new ArrayList<>(pending);
        if (current != null) {
            open.add(current);
        }
        for (Segment segment : open) {
            try {
                segment.channel().close();
            } catch (IOException e) {
                failure = e;
            }
        }
        pending.clear();
        current = null;
        if (failure != null) {
            throw failure;
        }
    }

    /** One log file, open, with its size when it was opened: where a snapshot of it ends. */
    record Segment(Path path, FileChannel channel, Object key, long size) {}
}
