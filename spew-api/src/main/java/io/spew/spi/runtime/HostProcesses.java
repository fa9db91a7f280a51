package io.spew.spi.runtime;

import io.spew.Registration;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Processes on this host, the way runtimes need them: spawned in a session of their own with
 * output going straight to files, watched for their end on one shared event loop, and contained in
 * a cgroup per instance so that nothing an instance forks outlives it.
 *
 * <p>Cgroups: a request that names a cgroup ({@link SpawnRequest#cgroup()}) is born in it, under a
 * subtree of Spew's own ({@code /sys/fs/cgroup/pids/spew/NAME} on cgroup v1,
 * {@code /sys/fs/cgroup/spew/NAME} on cgroup v2). A process cannot leave it by calling
 * {@code setsid} or by losing its parent, so {@link #killAll} reaches every process the instance
 * ever started. Where cgroups cannot be written (not root, read-only), {@link #tracksCgroups()} is
 * false, one warning is logged, and runtimes fall back to process groups.
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

    /**
     * Whether spawned processes are put in the cgroups their requests name. False where the engine
     * cannot write cgroups; then {@link #cgroupProcesses} is empty and {@link #killAll} does nothing.
     */
    default boolean tracksCgroups() {
        return false;
    }

    /** The pids of every process in a cgroup and its sub-groups, or an empty list if there is no such cgroup. */
    default List<Long> cgroupProcesses(String cgroup) {
        return List.of();
    }

    /**
     * Kills everything in a cgroup and removes it: first stops it from forking (cgroup v1: its
     * {@code pids.max} becomes 0; cgroup v2: {@code cgroup.kill}, or the freezer on kernels before
     * 5.14), then sends SIGKILL to every process in it until it is empty, for a few seconds at most,
     * then removes it and its sub-groups. Blocks until then (milliseconds, unless a process is stuck
     * in the kernel). Never signals the engine's own process. Idempotent: true when the cgroup is gone
     * (or never existed), false when processes were still left at the end, which it logs.
     */
    default boolean killAll(String cgroup) {
        return true;
    }

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
