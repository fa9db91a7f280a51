package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.fail;

import io.spew.impl.os.LinuxHostProcesses;
import io.spew.impl.runtime.EngineRuntimeContext;
import io.spew.spi.Probe;
import io.spew.spi.runtime.RuntimeContext;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Assumptions;

/** What the ITs of this module share: a real runtime context, and the check that nspawn can run here. */
final class NspawnHost {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    static final RuntimeContext CONTEXT = new EngineRuntimeContext(new LinuxHostProcesses(), SCHEDULER);

    private NspawnHost() {}

    /**
     * Aborts the test where nspawn cannot run (not root, tools missing), except under CI, where that
     * fails it: CI runs as root with what {@code ./test} installs.
     */
    static void requireNspawn() {
        Probe probe = new NspawnRuntimeFactory().probe(CONTEXT);
        String missing = probe.passed() ? (Files.isExecutable(BusyboxRoot.BUSYBOX) ? "" : "no /bin/busybox: install busybox-static") : probe.reason();
        if (missing.isEmpty()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("nspawn cannot run here under CI: " + missing);
        }
        Assumptions.abort("nspawn cannot run here: " + missing);
    }
}
