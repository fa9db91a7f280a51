package io.spew.spi.runtime;

import java.util.concurrent.ScheduledExecutorService;

/** What the engine gives a runtime. */
public interface RuntimeContext {
    /** Spawning, signalling and watching host processes, without a thread per process. */
    HostProcesses processes();

    /** A shared scheduler for timeouts; tasks must be short. */
    ScheduledExecutorService scheduler();
}
