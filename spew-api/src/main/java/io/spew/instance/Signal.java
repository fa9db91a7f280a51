package io.spew.instance;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.Locale;

/** The signals Spew sends, with their Linux numbers. */
public enum Signal {
    SIGHUP(1), SIGINT(2), SIGQUIT(3), SIGABRT(6), SIGKILL(9), SIGUSR1(10), SIGSEGV(11), SIGUSR2(12),
    SIGPIPE(13), SIGALRM(14), SIGTERM(15), SIGCHLD(17), SIGCONT(18), SIGSTOP(19), SIGTSTP(20),
    SIGWINCH(28);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}. */
    public static Signal parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        for (Signal signal : values()) {
            if (signal.name().equals(name) || signal.name().equals("SIG" + name)
                    || Integer.toString(signal.number).equals(name)) {
                return signal;
            }
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT,
                "unknown signal '" + text + "': use a name such as TERM, INT, HUP, KILL or its number");
    }

    /** The signal of a number, or the number itself as text when Spew has no name for it. */
    public static String nameOf(int number) {
        for (Signal signal : values()) {
            if (signal.number == number) {
                return signal.name();
            }
        }
        return Integer.toString(number);
    }
}
