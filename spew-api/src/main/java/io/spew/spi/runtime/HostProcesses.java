package io.spew.spi.runtime;

import io.spew.Registration;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Processes on this host, the way runtimes need them: spawned in a session of their own with
 * output going straight to files, and watched for their end on one shared event loop.
 */
public interface HostProcesses {
    /**
     * Spawns a process. No descriptor of the engine leaks into it; its signal mask and dispositions
     * are reset. Throws {@code START_FAILED} naming the command and the reason.
     */
    SpawnedProcess spawn(SpawnRequest request);

    /**
     * Calls {@code onExit} once, from the event loop, when the process ends. The status is known
     * when the process is a child of this engine, else {@link ExitStatus#unknown()}. If the process
     * is already gone, {@code onExit} is called at once. Closing the registration stops watching.
     */
    Registration watch(long pid, Consumer<ExitStatus> onExit);

    /** Sends a signal to one process; false if there is no such process. */
    boolean signal(long pid, Signal signal);

    /** Sends a signal to every process of a process group; false if the group is empty. */
    boolean signalGroup(long processGroup, Signal signal);

    /** The start time of a process in clock ticks after boot, or empty if there is no such process. */
    OptionalLong startTime(long pid);

    /** The kernel's boot id. */
    String bootId();

    /**
     * Whether the process of a persisted handle still runs: same boot, same pid, same start time, so
     * that a pid reused by another process is never taken for it.
     */
    default boolean stillRuns(RuntimeHandle handle) {
        return handle.bootId().equals(bootId())
                && startTime(handle.pid()).stream().anyMatch(startTime -> startTime == handle.startTime());
    }
}
