package io.spew.spi.runtime;

import static java.util.Objects.requireNonNull;

import io.spew.instance.InstanceSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A process to spawn.
 *
 * @param command the program (a path, or a name looked up in the {@code PATH} of {@code env}) and its arguments
 * @param env its whole environment
 * @param workdir its working directory, or null for the engine's
 * @param stdout the file its standard output is appended to; a FIFO is opened for reading and
 *     writing instead, so that the process never gets {@code EPIPE} while nobody reads it
 * @param stderr the file its standard error is appended to (may be the same as stdout), the same way
 * @param newSession whether it leads a new session and process group
 * @param cgroup the name of the cgroup it is born in (made when missing, under Spew's own subtree;
 *     runtimes pass the instance id), so that it and everything it ever forks are tracked and can be
 *     killed together ({@link HostProcesses#killAll}); or null for none. Ignored where the engine
 *     cannot use cgroups ({@link HostProcesses#tracksCgroups()} is false).
 */
public record SpawnRequest(
        List<String> command,
        Map<String, String> env,
        Path workdir,
        Path stdout,
        Path stderr,
        boolean newSession,
        String cgroup) {
    private static final Pattern CGROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /** A process in no cgroup of its own. */
    public SpawnRequest(List<String> command, Map<String, String> env, Path workdir, Path stdout, Path stderr,
            boolean newSession) {
        this(command, env, workdir, stdout, stderr, newSession, null);
    }

    public SpawnRequest {
        command = List.copyOf(requireNonNull(command, "command is null"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        env = Collections.unmodifiableSortedMap(new TreeMap<>(env == null ? Map.of() : env));
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        if (cgroup != null && !CGROUP_NAME.matcher(cgroup).matches()) {
            throw new IllegalArgumentException("not a cgroup name (letters, digits, '_', '.', '-'): " + cgroup);
        }
    }

    /**
     * The process of an instance run on the host: its command, environment and working directory,
     * output appended to its log files, leading a session and process group of its own, in the
     * instance's cgroup.
     */
    public static SpawnRequest onHost(LaunchRequest request) {
        InstanceSpec spec = request.spec();
        Path workdir = spec.workdir() == null ? null : Path.of(spec.workdir());
        return new SpawnRequest(spec.command(), spec.env(), workdir, request.stdout(), request.stderr(), true,
                request.instanceId());
    }
}
