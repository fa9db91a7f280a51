package io.spew.impl.state;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Path;

/**
 * A state file was read but its content is not what it should hold (truncated, garbage, invalid):
 * unlike an I/O error, retrying will not help. Its owner moves it aside with {@link CorruptFiles}.
 */
public final class CorruptStateException extends SpewException {
    private final Path file;

    public CorruptStateException(Path file, Exception cause) {
        super(ErrorCode.IO_ERROR, "state file " + file + " is corrupt: " + cause.getMessage(), cause);
        this.file = file;
    }

    /** The corrupt file. */
    public Path file() {
        return file;
    }

    /** Why it is corrupt, on one line. */
    public String reason() {
        String reason = String.valueOf(getCause().getMessage());
        int newline = reason.indexOf('\n');
        return newline < 0 ? reason : reason.substring(0, newline);
    }
}
