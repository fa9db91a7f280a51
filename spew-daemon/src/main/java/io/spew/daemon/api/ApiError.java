package io.spew.daemon.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spew.ErrorCode;
import io.spew.SpewException;

/**
 * The body of every error answer.
 *
 * @param error the {@link ErrorCode} name
 * @param code the {@link ErrorCode} number
 * @param message what went wrong, for a person
 * @param id for internal errors, the id under which the daemon logged the details; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, int code, String message, String id) {
    public static ApiError of(SpewException exception) {
        return new ApiError(exception.code().name(), exception.code().number(), exception.getMessage(), null);
    }

    public static ApiError internal(String id) {
        return new ApiError(ErrorCode.INTERNAL.name(), ErrorCode.INTERNAL.number(),
                "internal error in the daemon; its log has the details under id " + id, id);
    }

    /** The exception this answer stands for, for a client; unknown error names become {@code INTERNAL}. */
    public SpewException toException() {
        ErrorCode errorCode;
        try {
            errorCode = ErrorCode.valueOf(error);
        } catch (IllegalArgumentException | NullPointerException e) {
            errorCode = ErrorCode.INTERNAL;
        }
        return new SpewException(errorCode, message == null ? "the daemon answered " + error : message);
    }
}
