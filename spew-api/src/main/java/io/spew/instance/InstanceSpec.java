package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything needed to run one instance, with every {@code ${...}} already rendered.
 *
 * @param name the instance name, unique on its host
 * @param appliance the appliance it was made from
 * @param index its index among the instances of that appliance (1-based)
 * @param runtime the runtime that runs it
 * @param build the id ({@code sha256:…}) of the build it runs, or null
 * @param command the command and its arguments; empty where the runtime runs nothing
 * @param env the environment of the process, sorted
 * @param workdir the working directory, or null for the runtime's default
 * @param stop how it is stopped
 * @param config runtime-specific settings, checked by the runtime
 * @param restart when it is started again after its process ended
 */
public record InstanceSpec(
        String name,
        String appliance,
        int index,
        String runtime,
        String build,
        List<String> command,
        Map<String, String> env,
        String workdir,
        StopPolicy stop,
        Map<String, String> config,
        RestartPolicy restart) {
    public InstanceSpec {
        requireNonNull(name, "name is null");
        requireNonNull(appliance, "appliance is null");
        requireNonNull(runtime, "runtime is null");
        command = List.copyOf(requireNonNull(command, "command is null"));
        env = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(env, "env is null")));
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        config = Collections.unmodifiableSortedMap(config == null ? new TreeMap<>() : new TreeMap<>(config));
        restart = restart == null ? RestartPolicy.NEVER : restart;
    }

    /** A spec that is never restarted. */
    public InstanceSpec(String name, String appliance, int index, String runtime, String build, List<String> command,
            Map<String, String> env, String workdir, StopPolicy stop, Map<String, String> config) {
        this(name, appliance, index, runtime, build, command, env, workdir, stop, config, null);
    }

    /** A spec without a build. */
    public InstanceSpec(String name, String appliance, int index, String runtime, List<String> command,
            Map<String, String> env, String workdir, StopPolicy stop, Map<String, String> config) {
        this(name, appliance, index, runtime, null, command, env, workdir, stop, config);
    }
}
