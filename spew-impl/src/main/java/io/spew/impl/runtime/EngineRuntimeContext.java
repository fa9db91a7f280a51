package io.spew.impl.runtime;

import static java.util.Objects.requireNonNull;

import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.RuntimeContext;
import java.util.concurrent.ScheduledExecutorService;

/** The context the engine gives every runtime. */
public record EngineRuntimeContext(HostProcesses processes, ScheduledExecutorService scheduler)
        implements RuntimeContext {
    public EngineRuntimeContext {
        requireNonNull(processes, "processes is null");
        requireNonNull(scheduler, "scheduler is null");
    }
}
