package io.spew.runtime.nspawn;

import java.io.IOException;
import java.nio.file.Path;

/** The shared {@link io.spew.testing.BusyboxRoot}, under the name this module's tests use. */
final class BusyboxRoot {
    static final Path BUSYBOX = io.spew.testing.BusyboxRoot.BUSYBOX;

    private BusyboxRoot() {}

    static Path make(Path root, String script) throws IOException, InterruptedException {
        return io.spew.testing.BusyboxRoot.make(root, script);
    }
}
