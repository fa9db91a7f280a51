package io.spew.impl.os;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.RuntimeHandle;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Host processes on Linux: spawned with glibc's {@code posix_spawn}, watched through pidfds on one
 * epoll loop run by a single daemon thread named {@code spew-process-watcher}, so the engine holds
 * no thread per process. Thread-safe. Closing stops watching; the processes keep running.
 *
 * <p>Every {@code onExit} runs on the watcher thread, including the one for a process that is
 * already gone when {@link #watch} is called: it runs promptly after {@code watch} returns, never
 * on the caller's thread.
 *
 * <p>Cgroups are found once, at construction ({@link Cgroups#detect}); where none can be written,
 * one warning says why and requests that name a cgroup are spawned outside any.
 */
public final class LinuxHostProcesses implements HostProcesses, AutoCloseable {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Path CGROUP_MOUNT = Path.of("/sys/fs/cgroup");

    private final PosixSpawner spawner = new PosixSpawner();
    private final PidfdWatcher watcher = new PidfdWatcher();
    private final Optional<Cgroups> cgroups;
    private volatile String bootId;

    /** Host processes in this host's cgroups, where they can be written. */
    public LinuxHostProcesses() {
        this(systemCgroups());
    }

    /** Host processes in the given cgroups, or in none. */
    LinuxHostProcesses(Optional<Cgroups> cgroups) {
        this.cgroups = requireNonNull(cgroups, "cgroups is null");
    }

    private static Optional<Cgroups> systemCgroups() {
        try {
            return Optional.of(Cgroups.detect(CGROUP_MOUNT));
        } catch (SpewException e) {
            System.getLogger(LinuxHostProcesses.class.getName()).log(System.Logger.Level.WARNING,
                    "instances are not contained in cgroups, only in process groups, so a process that leaves its"
                            + " group with setsid may outlive its instance: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public SpawnedProcess spawn(SpawnRequest request) {
        long pid;
        OptionalLong started;
        if (request.cgroup() == null || cgroups.isEmpty()) {
            pid = spawner.spawn(request);
            started = startTime(pid);
        } else {
            Cgroups.SpawnedInside spawned = cgroups.get().spawnInside(request.cgroup(), request, spawner::spawn);
            pid = spawned.pid();
            started = spawned.startTime();
        }
        // The child cannot vanish from /proc before it is reaped, and only watch() reaps it.
        long startTime = started.orElseThrow(() -> new SpewException(ErrorCode.INTERNAL,
                "process " + pid + " of '" + request.command().get(0) + "' has no /proc/" + pid + "/stat"));
        return new SpawnedProcess(pid, startTime);
    }

    @Override
    public Registration watch(long pid, Consumer<ExitStatus> onExit) {
        return watcher.watch(pid, requireNonNull(onExit, "onExit is null"));
    }

    @Override
    public boolean signal(long pid, Signal signal) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        return kill((int) pid, signal, "process " + pid);
    }

    @Override
    public boolean signalGroup(long processGroup, Signal signal) {
        if (processGroup <= 1 || processGroup > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process group that may be signalled: " + processGroup);
        }
        return kill((int) -processGroup, signal, "process group " + processGroup);
    }

    @Override
    public boolean tracksCgroups() {
        return cgroups.isPresent();
    }

    @Override
    public List<Long> cgroupProcesses(String cgroup) {
        return cgroups.map(present -> present.processes(cgroup)).orElse(List.of());
    }

    @Override
    public boolean killAll(String cgroup) {
        return cgroups.map(present -> present.killAll(cgroup)).orElse(true);
    }

    @Override
    public OptionalLong startTime(long pid) {
        return ProcStat.field(pid, ProcStat.START_TIME);
    }

    /**
     * A zombie is not running: it ended while no engine watched, and nothing reaped it. One that is a
     * child of this process still counts, so that watching it reaps it and tells its exit status.
     */
    @Override
    public boolean stillRuns(RuntimeHandle handle) {
        return HostProcesses.super.stillRuns(handle) && (ProcStat.isRunning(handle.pid())
                || ProcStat.field(handle.pid(), ProcStat.PARENT).orElse(0) == ProcessHandle.current().pid());
    }

    @Override
    public String bootId() {
        String id = bootId;
        if (id == null) {
            try {
                id = Files.readString(BOOT_ID).trim();
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR,
                        "cannot read the boot id from " + BOOT_ID + ": " + e.getMessage(), e);
            }
            bootId = id;
        }
        return id;
    }

    /** Stops the watcher thread and closes its descriptors; running processes are left alone. Idempotent. */
    @Override
    public void close() {
        watcher.close();
    }

    private static boolean kill(int target, Signal signal, String what) {
        if (Native.LIBC.kill(target, signal.number()) == 0) {
            return true;
        }
        int errno = Native.errno();
        if (errno == Native.ESRCH) {
            return false;
        }
        throw new SpewException(errno == Native.EPERM ? ErrorCode.INVALID_STATE : ErrorCode.INTERNAL,
                "cannot send " + signal + " to " + what + ": " + Native.describe(errno));
    }
}
