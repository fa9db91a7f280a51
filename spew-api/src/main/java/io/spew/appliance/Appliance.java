package io.spew.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.instance.RestartPolicy;
import io.spew.instance.StopPolicy;
import io.spew.service.ServiceDefinition;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A template for running instances. Values may hold {@code ${...}} placeholders, rendered for
 * each instance.
 *
 * @param name its name
 * @param runtime the runtime to use, or null to let Spew choose
 * @param build the build it runs ({@code name}, {@code name@version} or {@code sha256:…}), or null
 * @param command the command and its arguments (a command given as one string runs under
 *     {@code /bin/sh -c})
 * @param env environment variables
 * @param workdir the working directory, or null
 * @param stop how instances are stopped
 * @param options named values for {@code ${NAME}}, each overridable per run
 * @param config runtime-specific settings
 * @param source the file it was read from, or null
 * @param parents the appliances it extends ({@code extends:}), in order: later ones win, its own values
 *     win over all; maps merge, lists and single values replace
 * @param services the services its instances offer
 * @param requires appliances whose instances must run (and be healthy) before its own start in an environment
 * @param origins where each value was written, by key ({@code command}, {@code env.NAME}, …), as
 *     {@code file:line:column}; empty for appliances built in code
 * @param restart when its instances are started again after their process ended
 * @param update how a change rolls over the instances of an environment
 * @param onChange what happens to a running instance when the addresses of a service it uses change
 * @param constraints what a cluster host must have to run its instances: the value of each label named
 *     (its key), and with the key {@code runtime} that runtime; sorted
 */
public record Appliance(
        String name,
        String runtime,
        String build,
        List<String> command,
        Map<String, String> env,
        String workdir,
        StopPolicy stop,
        Map<String, String> options,
        Map<String, String> config,
        String source,
        List<String> parents,
        List<ServiceDefinition> services,
        List<String> requires,
        Map<String, String> origins,
        RestartPolicy restart,
        UpdatePolicy update,
        ChangePolicy onChange,
        Map<String, String> constraints) {
    public Appliance {
        requireNonNull(name, "name is null");
        command = List.copyOf(command == null ? List.of() : command);
        env = sorted(env);
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        options = sorted(options);
        config = sorted(config);
        parents = List.copyOf(parents == null ? List.of() : parents);
        services = List.copyOf(services == null ? List.of() : services);
        requires = List.copyOf(requires == null ? List.of() : requires);
        origins = sorted(origins);
        restart = restart == null ? RestartPolicy.NEVER : restart;
        update = update == null ? UpdatePolicy.DEFAULT : update;
        onChange = onChange == null ? ChangePolicy.DEFAULT : onChange;
        constraints = sorted(constraints);
    }

    /** An appliance with the default {@code on_change} and no placement constraints. */
    public Appliance(String name, String runtime, String build, List<String> command, Map<String, String> env,
            String workdir, StopPolicy stop, Map<String, String> options, Map<String, String> config, String source,
            List<String> parents, List<ServiceDefinition> services, List<String> requires, Map<String, String> origins,
            RestartPolicy restart, UpdatePolicy update) {
        this(name, runtime, build, command, env, workdir, stop, options, config, source, parents, services, requires,
                origins, restart, update, null, null);
    }

    /** An appliance with the default update policy. */
    public Appliance(String name, String runtime, String build, List<String> command, Map<String, String> env,
            String workdir, StopPolicy stop, Map<String, String> options, Map<String, String> config, String source,
            List<String> parents, List<ServiceDefinition> services, List<String> requires, Map<String, String> origins,
            RestartPolicy restart) {
        this(name, runtime, build, command, env, workdir, stop, options, config, source, parents, services, requires,
                origins, restart, null);
    }

    /** An appliance that is never restarted. */
    public Appliance(String name, String runtime, String build, List<String> command, Map<String, String> env,
            String workdir, StopPolicy stop, Map<String, String> options, Map<String, String> config, String source,
            List<String> parents, List<ServiceDefinition> services, List<String> requires, Map<String, String> origins) {
        this(name, runtime, build, command, env, workdir, stop, options, config, source, parents, services, requires,
                origins, null);
    }

    /** An appliance that extends nothing and offers no service. */
    public Appliance(String name, String runtime, String build, List<String> command, Map<String, String> env,
            String workdir, StopPolicy stop, Map<String, String> options, Map<String, String> config, String source) {
        this(name, runtime, build, command, env, workdir, stop, options, config, source, null, null, null, null);
    }

    /** An appliance without a build. */
    public Appliance(String name, String runtime, List<String> command, Map<String, String> env, String workdir,
            StopPolicy stop, Map<String, String> options, Map<String, String> config, String source) {
        this(name, runtime, null, command, env, workdir, stop, options, config, source);
    }

    private static SortedMap<String, String> sorted(Map<String, String> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map == null ? Map.of() : map));
    }
}
