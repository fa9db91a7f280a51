package io.spew.impl.logs;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.Map;

/**
 * How instance output is kept.
 *
 * @param fileBytes the size at which a log file is rotated (at the end of a line; a line without
 *     an end is cut at twice this size)
 * @param files how many files a stream keeps: the current one and {@code files - 1} rotated ones
 * @param pipeBytes the capacity asked for each output pipe (best effort): how much an instance may
 *     write while no engine reads before its writes wait
 */
public record LogSettings(long fileBytes, int files, int pipeBytes) {
    /** 10 files of 10 MiB per stream, 1 MiB pipes. */
    public static final LogSettings DEFAULT = new LogSettings(10L << 20, 10, 1 << 20);

    /** Environment variables a daemon reads its log settings from. */
    public static final String FILE_BYTES_VARIABLE = "SPEW_LOG_FILE_BYTES";
    public static final String FILES_VARIABLE = "SPEW_LOG_FILES";

    public LogSettings {
        if (fileBytes < 1) {
            throw new IllegalArgumentException("fileBytes must be at least 1, not " + fileBytes);
        }
        if (files < 1) {
            throw new IllegalArgumentException("files must be at least 1, not " + files);
        }
        if (pipeBytes < 0) {
            throw new IllegalArgumentException("pipeBytes is negative: " + pipeBytes);
        }
    }

    /** The defaults, with {@value #FILE_BYTES_VARIABLE} and {@value #FILES_VARIABLE} where they are set. */
    public static LogSettings fromEnvironment(Map<String, String> environment) {
        long fileBytes = number(environment, FILE_BYTES_VARIABLE, DEFAULT.fileBytes());
        long files = number(environment, FILES_VARIABLE, DEFAULT.files());
        if (fileBytes < 1 || files < 1 || files > 1000) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, FILE_BYTES_VARIABLE + " must be at least 1 and "
                    + FILES_VARIABLE + " between 1 and 1000: fix or unset them");
        }
        return new LogSettings(fileBytes, (int) files, DEFAULT.pipeBytes());
    }

    private static long number(Map<String, String> environment, String name, long otherwise) {
        String text = environment.get(name);
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, name + " must be a whole number, not '" + text
                    + "': fix or unset it");
        }
    }
}
