package io.spew.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.instance.StopPolicy;
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
 * @param command the command and its arguments (a command given as one string runs under
 *     {@code /bin/sh -c})
 * @param env environment variables
 * @param workdir the working directory, or null
 * @param stop how instances are stopped
 * @param options named values for {@code ${NAME}}, each overridable per run
 * @param config runtime-specific settings
 * @param source the file it was read from, or null
 */
public record Appliance(
        String name,
        String runtime,
        List<String> command,
        Map<String, String> env,
        String workdir,
        StopPolicy stop,
        Map<String, String> options,
        Map<String, String> config,
        String source) {
    public Appliance {
        requireNonNull(name, "name is null");
        command = List.copyOf(command == null ? List.of() : command);
        env = sorted(env);
        stop = stop == null ? StopPolicy.DEFAULT : stop;
        options = sorted(options);
        config = sorted(config);
    }

    private static SortedMap<String, String> sorted(Map<String, String> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map == null ? Map.of() : map));
    }
}
