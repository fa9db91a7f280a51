package io.spew.instance;

/**
 * How a process ended: an exit code, a signal, or unknown (a process Spew watched but was not the
 * parent of, such as one observed or adopted after a daemon restart).
 *
 * @param code the exit code, or null
 * @param signal the name of the signal that ended it, or null
 */
public record ExitStatus(Integer code, String signal) {
    private static final ExitStatus UNKNOWN = new ExitStatus(null, null);

    public ExitStatus {
        if (code != null && signal != null) {
            throw new IllegalArgumentException("an exit status has a code or a signal, not both");
        }
    }

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, null);
    }

    public static ExitStatus signaled(String signal) {
        return new ExitStatus(null, signal);
    }

    public static ExitStatus unknown() {
        return UNKNOWN;
    }

    public boolean isKnown() {
        return code != null || signal != null;
    }

    /** Exit code 0. */
    public boolean isSuccess() {
        return code != null && code == 0;
    }

    @Override
    public String toString() {
        if (code != null) {
            return "exit " + code;
        }
        return signal != null ? "signal " + signal : "unknown";
    }
}
