package io.spew.impl.os;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.Signal;
import io.spew.spi.runtime.SpawnRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The cgroups instances are contained in: one per instance, under a subtree {@code spew} of Spew's own
 * in one hierarchy. On cgroup v1 that is the {@code pids} hierarchy (its {@code pids.max} stops forks
 * when the group is killed); on cgroup v2 the unified one ({@code cgroup.kill} kills a group at once).
 *
 * <p>How a process is born inside its group, so that even a child that forks at once cannot escape.
 * On cgroup v1 the spawning thread alone moves into the group for the length of the spawn
 * ({@link SpawningThread}), so the child is born there. Elsewhere (cgroup v2 moves whole processes
 * only; or a group left by an earlier process of the instance, whose {@code pids.max} may stop forks;
 * or when the thread cannot move) the process spawned is {@code /bin/sh}, which writes its own pid to
 * the group's {@code cgroup.procs} and then executes the program in the same process (same pid), so
 * the program runs in the group from its first instruction; {@link #spawnInside} does not wait for
 * that, and until the process is seen in its group, {@link #processes} counts it anyway and
 * {@link #killAll} kills it. Alternatives, and why not:
 * <ul>
 *   <li>moving the child in after {@code posix_spawn} returns loses the race against a program that
 *       forks at once (seen in tests: {@code sleep 1 & ...} escaped);
 *   <li>the shell on v1 too: its {@code exec} doubles the children's CPU per start (measured 7.4 to
 *       8.3 ms against 3.2 to 4.2 ms in this VM, where an {@code exec} is mostly the dynamic
 *       loader's {@code mmap}s), while the thread's two moves cost 0.1 to 2.2 ms of waiting on the
 *       kernel's {@code cgroup_threadgroup_rwsem}, most when moves are rare;
 *   <li>glibc 2.39's {@code posix_spawnattr_setcgroup_np} (clone3 with {@code CLONE_INTO_CGROUP},
 *       v2 only) needs no shell; older glibc, such as Debian 12's 2.36, lacks it.
 * </ul>
 */
final class Cgroups {
    private static final System.Logger LOG = System.getLogger(Cgroups.class.getName());
    private static final String SUBTREE = "spew";
    private static final String SHELL = "/bin/sh";
    private static final long KILL_TIMEOUT_NANOS = 5_000_000_000L;
    private static final long MAX_PAUSE_MILLIS = 50;

    enum Version { V1, V2 }

    private final Version version;
    private final Path subtree;
    private final long self = ProcessHandle.current().pid();
    /** Per group, the processes spawned into it (pid to start time) until they are seen in it. */
    private final Map<String, Map<Long, Long>> joining = new ConcurrentHashMap<>();

    private Cgroups(Version version, Path hierarchy) {
        this.version = requireNonNull(version, "version is null");
        this.subtree = requireNonNull(hierarchy, "hierarchy is null").resolve(SUBTREE);
    }

    /**
     * Finds the hierarchy under {@code mount} (normally {@code /sys/fs/cgroup}): cgroup v2 when it is
     * mounted there, else cgroup v1's {@code pids}, else a hybrid host's {@code unified}; and makes
     * Spew's subtree in it. Throws {@code RUNTIME_UNAVAILABLE} saying why when there is none to write.
     */
    static Cgroups detect(Path mount) {
        Cgroups cgroups;
        if (Files.isRegularFile(mount.resolve("cgroup.controllers"))) {
            cgroups = new Cgroups(Version.V2, mount);
        } else if (Files.isRegularFile(mount.resolve("pids/cgroup.procs"))) {
            cgroups = new Cgroups(Version.V1, mount.resolve("pids"));
        } else if (Files.isRegularFile(mount.resolve("unified/cgroup.controllers"))) {
            cgroups = new Cgroups(Version.V2, mount.resolve("unified"));
        } else {
            throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, "no cgroup v2 and no cgroup v1 pids hierarchy under "
                    + mount + ": mount one to contain instances in cgroups");
        }
        try {
            Files.createDirectories(cgroups.subtree);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, "cannot make " + cgroups.subtree + " ("
                    + e.getMessage() + "): run as root to contain instances in cgroups");
        }
        if (!Files.isWritable(cgroups.subtree)) {
            // Made by root earlier, and this engine is not root.
            throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, "cannot write " + cgroups.subtree
                    + ": run as root to contain instances in cgroups");
        }
        return cgroups;
    }

    /** Spew's subtree of an explicit v1 ({@code pids}) or v2 hierarchy, made if missing; for tests. */
    static Cgroups of(Version version, Path hierarchy) throws IOException {
        Cgroups cgroups = new Cgroups(version, hierarchy);
        Files.createDirectories(cgroups.subtree);
        return cgroups;
    }

    Version version() {
        return version;
    }

    /** The directory of a group. */
    Path group(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a cgroup name: " + name);
        }
        return subtree.resolve(name);
    }

    /**
     * Spawns the request with {@code spawner} (which returns the pid) so that the process is born in
     * the group; returns its pid and start time, the start time empty when it is already gone.
     */
    SpawnedInside spawnInside(String name, SpawnRequest request, ToLongFunction<SpawnRequest> spawner) {
        Path group = group(name);
        boolean made;
        try {
            Files.createDirectory(group);
            made = true;
        } catch (FileAlreadyExistsException e) {
            made = false; // left by an earlier process of the instance: it is joined as it is
        } catch (IOException e) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot make the cgroup " + group + ": " + e.getMessage());
        }
        SpawnRequest program = resolved(request);
        if (version == Version.V1 && made) {
            OptionalLong pid = SpawningThread.spawnFrom(subtree.getParent(), group,
                    () -> spawner.applyAsLong(program));
            if (pid.isPresent()) {
                return new SpawnedInside(pid.getAsLong(), ProcStat.field(pid.getAsLong(), ProcStat.START_TIME));
            }
        }
        long pid = spawner.applyAsLong(joiningFirst(group, program));
        OptionalLong startTime = ProcStat.field(pid, ProcStat.START_TIME);
        startTime.ifPresent(time -> joining.computeIfAbsent(name, key -> new ConcurrentHashMap<>()).put(pid, time));
        return new SpawnedInside(pid, startTime);
    }

    /** A process spawned into a group: its pid, and its start time unless it had ended already. */
    record SpawnedInside(long pid, OptionalLong startTime) {}

    /**
     * The request with its program looked up ({@code argv[0]} is then the program's path), so that a
     * missing one fails the spawn with a clear message rather than the shell with exit code 127.
     */
    private static SpawnRequest resolved(SpawnRequest request) {
        List<String> command = new ArrayList<>(request.command());
        String program = ProgramLookup.resolve(command.get(0), request.env());
        Path executable = request.workdir() == null ? Path.of(program) : request.workdir().resolve(program);
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot start '" + command.get(0) + "': " + executable
                    + (Files.exists(executable) ? " is not an executable file" : " does not exist"));
        }
        command.set(0, program);
        return withCommand(request, command);
    }

    /** The request run by {@code /bin/sh}, which moves itself into the group and then executes the program. */
    private static SpawnRequest joiningFirst(Path group, SpawnRequest request) {
        String procs = group.resolve("cgroup.procs").toString();
        if (procs.contains("'")) {
            throw new IllegalArgumentException("a cgroup path with a quote: " + procs);
        }
        List<String> command = new ArrayList<>(request.command());
        command.addAll(0, List.of(SHELL, "-c", "echo $$ > '" + procs + "' || exit 125; exec \"$0\" \"$@\""));
        return withCommand(request, command);
    }

    private static SpawnRequest withCommand(SpawnRequest request, List<String> command) {
        return new SpawnRequest(command, request.env(), request.workdir(), request.stdout(), request.stderr(),
                request.newSession(), request.cgroup());
    }

    /**
     * The pids in a group and its sub-groups, with those spawned into it that have not joined it yet;
     * empty if there is no such group.
     */
    List<Long> processes(String name) {
        List<Long> pids = members(name);
        Map<Long, Long> spawned = joining.getOrDefault(name, Map.of());
        spawned.forEach((pid, startTime) -> {
            if (pids.contains(pid) || ProcStat.field(pid, ProcStat.START_TIME).orElse(-1) != startTime
                    || !ProcStat.isRunning(pid)) {
                spawned.remove(pid);
            } else {
                pids.add(pid);
            }
        });
        return pids;
    }

    private List<Long> members(String name) {
        List<Long> pids = new ArrayList<>();
        for (Path group : groups(group(name))) {
            try {
                for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    // This process while one of its threads spawns from inside (SpawningThread).
                    if (!line.isBlank() && Long.parseLong(line.trim()) != self) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException e) {
                if (!Files.isDirectory(group)) {
                    continue; // removed meanwhile (a read then fails with ENODEV)
                }
                throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + group + "/cgroup.procs: " + e.getMessage(), e);
            }
        }
        return pids;
    }

    /**
     * See {@link io.spew.spi.runtime.HostProcesses#killAll}. A group that holds no process (as when
     * the last process of an instance has ended) is removed at once: the kernel refuses to remove one
     * that holds a process, and a process still joining it finds it gone and exits before it runs the
     * program (it is killed as well).
     */
    boolean killAll(String name) {
        Path group = group(name);
        if (removedEmpty(group, name)) {
            return true;
        }
        if (!Files.isDirectory(group)) {
            return true;
        }
        try {
            return kill(group, name);
        } catch (SpewException e) {
            LOG.log(Level.WARNING, "cannot empty the cgroup {0}: {1}", group, e.getMessage());
            return false;
        }
    }

    private boolean kill(Path group, String name) {
        stopForks(group);
        long deadline = System.nanoTime() + KILL_TIMEOUT_NANOS;
        long pause = 1;
        while (true) {
            List<Long> left = processes(name);
            left.remove(self);
            if (left.isEmpty() && remove(group)) {
                joining.remove(name);
                return true;
            }
            if (System.nanoTime() > deadline) {
                LOG.log(Level.WARNING, "cgroup {0} still holds processes {1} after SIGKILL: it stays", group, left);
                return false;
            }
            for (long pid : left) {
                Native.LIBC.kill((int) pid, Signal.SIGKILL.number());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    /** Removes a group that has no sub-group and holds no process, and ends its joiners; false when it cannot. */
    private boolean removedEmpty(Path group, String name) {
        try {
            Files.delete(group); // rmdir(2): EBUSY while a process is in it, ENOTEMPTY or EBUSY with sub-groups
        } catch (NoSuchFileException e) {
            // removed before
        } catch (IOException e) {
            return false;
        }
        Map<Long, Long> spawned = joining.remove(name);
        if (spawned != null) {
            spawned.forEach((pid, startTime) -> {
                if (ProcStat.field(pid, ProcStat.START_TIME).orElse(-1) == startTime) {
                    Native.LIBC.kill(pid.intValue(), Signal.SIGKILL.number());
                }
            });
        }
        return true;
    }

    private void stopForks(Path group) {
        try {
            if (version == Version.V1) {
                Files.writeString(group.resolve("pids.max"), "0");
            } else if (Files.exists(group.resolve("cgroup.kill"))) {
                Files.writeString(group.resolve("cgroup.kill"), "1");
            } else {
                // Before Linux 5.14: frozen processes still die of SIGKILL.
                Files.writeString(group.resolve("cgroup.freeze"), "1");
            }
        } catch (IOException e) {
            // Removed meanwhile, or the controller is missing: SIGKILL in rounds still empties it.
        }
    }

    /** Removes the group and its sub-groups, deepest first; false while one still holds a process. */
    private static boolean remove(Path group) {
        List<Path> groups = groups(group);
        for (int i = groups.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(groups.get(i));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The group and every group below it, parents before children; empty if it does not exist. */
    private static List<Path> groups(Path group) {
        if (!Files.isDirectory(group)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(group)) {
            return tree.filter(Files::isDirectory).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            // A group removed during the walk: take what is left.
            return Files.isDirectory(group) ? List.of(group) : List.of();
        }
    }

    @Override
    public String toString() {
        return "cgroup " + (version == Version.V1 ? "v1 " : "v2 ") + subtree;
    }
}
