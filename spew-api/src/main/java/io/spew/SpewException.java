package io.spew;

import static java.util.Objects.requireNonNull;

/**
 * The one exception Spew throws for anything a user can see. The message says what was wrong with
 * which input and, where it helps, what to do; it is printed on one line as
 * {@code spew: <message> (<code>)}.
 */
public class SpewException extends RuntimeException {
    private final ErrorCode code;

    public SpewException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public SpewException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    /** The one line shown to a user. */
    public String userMessage() {
        return getMessage() + " (" + code + ")";
    }
}
