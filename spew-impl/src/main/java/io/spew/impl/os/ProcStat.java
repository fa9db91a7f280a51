package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fields of {@code /proc/PID/stat}, numbered as in proc(5). The second field (the command name in
 * parentheses) may itself hold spaces and parentheses, so fields are split after its last ')'.
 */
final class ProcStat {
    static final int PARENT = 4;
    static final int SESSION = 6;
    static final int START_TIME = 22;

    private static final Path PROC = Path.of("/proc");
    private static final int FIRST_FIELD_AFTER_NAME = 3;

    private ProcStat() {}

    /** A numeric field of a process, or empty if there is no such process. */
    static OptionalLong field(long pid, int field) {
        return read(pid).map(stat -> OptionalLong.of(parseField(stat, field))).orElse(OptionalLong.empty());
    }

    /** Whether the process exists and is not a zombie. */
    static boolean isRunning(long pid) {
        return read(pid).map(stat -> {
            int nameEnd = stat.lastIndexOf(')');
            return nameEnd >= 0 && nameEnd + 2 < stat.length() && stat.charAt(nameEnd + 2) != 'Z';
        }).orElse(false);
    }

    /** A numeric field of one line of {@code /proc/PID/stat}. */
    static long parseField(String stat, int field) {
        if (field <= FIRST_FIELD_AFTER_NAME) {
            throw new IllegalArgumentException("field " + field + " is not numeric");
        }
        int nameEnd = stat.lastIndexOf(')');
        if (nameEnd < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] fields = stat.substring(nameEnd + 1).trim().split(" ");
        int index = field - FIRST_FIELD_AFTER_NAME;
        if (index >= fields.length) {
            throw new IllegalArgumentException("/proc/PID/stat has no field " + field + ": " + stat);
        }
        return Long.parseLong(fields[index]);
    }

    private static Optional<String> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path directory = PROC.resolve(Long.toString(pid));
        try {
            // Latin-1 decodes any bytes: a command name need not be valid UTF-8.
            return Optional.of(new String(Files.readAllBytes(directory.resolve("stat")), StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process that ends between open and read fails the read with ESRCH.
            if (!Files.exists(directory)) {
                return Optional.empty();
            }
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + "/stat: " + e.getMessage(), e);
        }
    }
}
