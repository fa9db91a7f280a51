package io.spew.instance;

import static java.util.Objects.requireNonNull;

import io.spew.service.ServiceDefinition;
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
 * @param services the services it offers, their ports and checks rendered for it (with the run's
 *     settings); empty for one that offers none, or was made before specs kept them
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
        RestartPolicy restart,
        List<ServiceDefinition> services) {
    public InstanceSpec {
        requireNonNull(name, "name is null");
        requireNonNull(appliance, "appliance is null");
        requireNonNull(runtime, "runtime is null");
        command = List.copyOf(requireNonNull(command, "command is null"));
        env = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(env, "env is null")));
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        config = Collections.unmodifiableSortedMap(config == null ? new TreeMap<>() : new TreeMap<>(config));
        restart = restart == null ? RestartPolicy.NEVER : restart;
        services = List.copyOf(services == null ? List.of() : services);
    }

    /** A spec whose services are not rendered in it. */
    public InstanceSpec(String name, String appliance, int index, String runtime, String build, List<String> command,
            Map<String, String> env, String workdir, StopPolicy stop, Map<String, String> config, RestartPolicy restart) {
        this(name, appliance, index, runtime, build, command, env, workdir, stop, config, restart, null);
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
