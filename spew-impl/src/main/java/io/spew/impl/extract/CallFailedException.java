package io.spew.impl.extract;

import java.io.IOException;

/** A failed system call on a path of the tree being extracted, with its errno. */
final class CallFailedException extends IOException {
    private final int errno;

    CallFailedException(String call, String path, int errno) {
        super(call + " '" + path + "' failed: " + Syscalls.describe(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
