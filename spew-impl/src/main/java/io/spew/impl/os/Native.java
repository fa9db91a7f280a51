package io.spew.impl.os;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The loaded C library, its JNR runtime, and the errno values this package tells apart. */
final class Native {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    static final int EPERM = 1;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int ECHILD = 10;
    static final int EMFILE = 24;

    private Native() {}

    /** The errno the last call of this thread saved. */
    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** The C library's description of an errno, such as "No such file or directory". */
    static String describe(int errno) {
        String text = LIBC.strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
