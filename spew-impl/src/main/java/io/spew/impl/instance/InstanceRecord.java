package io.spew.impl.instance;

import io.spew.instance.Instance;
import io.spew.spi.runtime.RuntimeHandle;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** The mutable state of one instance, guarded by the record itself. */
final class InstanceRecord {
    final Path directory;
    Instance instance;
    RuntimeHandle handle;
    /** Completes when the current process has ended. */
    CompletableFuture<Instance> ended = new CompletableFuture<>();
    RestartHistory restarts;
    /** The pending restart while the instance is {@code restarting}, else null. */
    ScheduledFuture<?> pendingRestart;
    /** Why the engine itself ends the current process so that it restarts (unhealthy), else null. */
    String endedBecause;
    /** Whether the current process is being ended to be started again at once ({@code on_change: restart}). */
    boolean relaunch;
    /** Whether the instance was removed: nothing may write to its directory any more. */
    boolean removed;

    InstanceRecord(Path directory, Instance instance, RuntimeHandle handle, RestartHistory restarts) {
        this.directory = directory;
        this.instance = instance;
        this.handle = handle;
        this.restarts = restarts == null ? RestartHistory.NONE : restarts;
    }
}
