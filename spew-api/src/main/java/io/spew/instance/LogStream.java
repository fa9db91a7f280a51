package io.spew.instance;

import java.util.Locale;

/** The output streams of an instance, each kept in its own file. */
public enum LogStream {
    STDOUT, STDERR;

    /** The name of the current file under the instance's {@code logs/} directory (rotated ones add {@code .1}, {@code .2}, ...). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".log";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
