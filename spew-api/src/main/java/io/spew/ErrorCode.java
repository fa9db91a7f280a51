package io.spew;

/**
 * Every error Spew reports, with a stable number, a type and the exit code the command line uses
 * (DESIGN.md: 2 input rejected, 3 not found, 4 daemon or cluster unavailable, 5 internal).
 */
public enum ErrorCode {
    INVALID_ARGUMENT(1, ErrorType.USER, 2),
    INVALID_APPLIANCE(2, ErrorType.USER, 2),
    INVALID_STATE(3, ErrorType.USER, 2),
    START_FAILED(4, ErrorType.USER, 2),
    RUNTIME_UNAVAILABLE(5, ErrorType.EXTERNAL, 2),
    INVALID_BUILD(6, ErrorType.USER, 2),
    INVALID_SIGNATURE(7, ErrorType.USER, 2),
    UNTRUSTED_SIGNER(8, ErrorType.USER, 2),
    UNSIGNED_BUILD(9, ErrorType.USER, 2),
    INVALID_KEY(10, ErrorType.USER, 2),
    APPLIANCE_NOT_FOUND(100, ErrorType.USER, 3),
    INSTANCE_NOT_FOUND(101, ErrorType.USER, 3),
    BUILD_NOT_FOUND(102, ErrorType.USER, 3),
    HOST_NOT_FOUND(103, ErrorType.USER, 3),
    NOT_FOUND(104, ErrorType.USER, 3),
    KEY_NOT_FOUND(105, ErrorType.USER, 3),
    DAEMON_UNAVAILABLE(200, ErrorType.EXTERNAL, 4),
    DATA_DIRECTORY_LOCKED(201, ErrorType.EXTERNAL, 4),
    CLUSTER_UNAVAILABLE(202, ErrorType.EXTERNAL, 4),
    UNAUTHORIZED(203, ErrorType.USER, 4),
    TOO_MANY(300, ErrorType.RESOURCES, 5),
    IO_ERROR(500, ErrorType.EXTERNAL, 5),
    INTERNAL(501, ErrorType.INTERNAL, 5);

    private final int number;
    private final ErrorType type;
    private final int exitCode;

    ErrorCode(int number, ErrorType type, int exitCode) {
        this.number = number;
        this.type = type;
        this.exitCode = exitCode;
    }

    public int number() {
        return number;
    }

    public ErrorType type() {
        return type;
    }

    /** The exit code of the {@code spew} command for this error. */
    public int exitCode() {
        return exitCode;
    }
}
