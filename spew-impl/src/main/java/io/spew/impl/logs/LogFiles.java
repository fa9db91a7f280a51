package io.spew.impl.logs;

import static java.util.Objects.requireNonNull;

import io.spew.instance.LogStream;
import java.nio.file.Path;

/**
 * The files of one output stream: the current file ({@code stdout.log}), the rotated ones, newest
 * first ({@code stdout.log.1}, {@code stdout.log.2}, ...), each with its time index
 * ({@code stdout.log.idx}, {@code stdout.log.1.idx}, ...), and the pipe the instance writes to
 * ({@code stdout.pipe}).
 *
 * @param current the current log file
 */
public record LogFiles(Path current) {
    private static final String LOG_SUFFIX = ".log";

    public LogFiles {
        requireNonNull(current, "current is null");
        if (current.getFileName() == null || current.getParent() == null) {
            throw new IllegalArgumentException("not a log file in a directory: " + current);
        }
    }

    /** The files of {@code stream} in an instance's {@code logs/} directory. */
    public static LogFiles of(Path logsDirectory, LogStream stream) {
        return new LogFiles(logsDirectory.resolve(stream.fileName()));
    }

    /** The log file of a generation: 0 is the current file, 1 the newest rotated one. */
    public Path log(int generation) {
        if (generation < 0) {
            throw new IllegalArgumentException("generation is negative: " + generation);
        }
        return generation == 0 ? current : current.resolveSibling(current.getFileName() + "." + generation);
    }

    /** The time index of a generation's log file. */
    public Path index(int generation) {
        return log(generation).resolveSibling(log(generation).getFileName() + ".idx");
    }

    /** The pipe the instance writes this stream to. */
    public Path pipe() {
        String name = current.getFileName().toString();
        String base = name.endsWith(LOG_SUFFIX) ? name.substring(0, name.length() - LOG_SUFFIX.length()) : name;
        return current.resolveSibling(base + ".pipe");
    }
}
