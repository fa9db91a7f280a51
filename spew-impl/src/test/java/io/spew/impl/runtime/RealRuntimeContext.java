package io.spew.impl.runtime;

import io.spew.impl.os.LinuxHostProcesses;
import io.spew.spi.runtime.RuntimeContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One real runtime context for the tests of this JVM: real spawning, one watcher thread. */
final class RealRuntimeContext {
    private static final LinuxHostProcesses PROCESSES = new LinuxHostProcesses();
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    static final RuntimeContext CONTEXT = new EngineRuntimeContext(PROCESSES, SCHEDULER);

    private RealRuntimeContext() {}
}
