package io.spew.environment;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state an environment file was last started into, kept in the data directory so that a
 * restarted engine keeps converging to it.
 *
 * @param file the environment file
 * @param environment the environment's name
 * @param counts the instance count of each appliance, sorted by name
 * @param order the appliances in the order they start ({@code requires} first)
 * @param requires what each appliance requires, for appliances that require any
 * @param startedAt when it was last started
 * @param made what each instance it made was made from (a fingerprint of its resolved appliance and
 *     template files), by instance name: an instance whose appliance changed since is replaced
 */
public record DesiredEnvironment(String file, String environment, Map<String, Integer> counts, List<String> order,
        Map<String, List<String>> requires, Instant startedAt, Map<String, String> made) {
    public DesiredEnvironment {
        requireNonNull(file, "file is null");
        requireNonNull(environment, "environment is null");
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
        order = List.copyOf(order);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        (requires == null ? Map.<String, List<String>>of() : requires).forEach((key, value) -> copy.put(key, List.copyOf(value)));
        requires = Collections.unmodifiableSortedMap(copy);
        requireNonNull(startedAt, "startedAt is null");
        made = Collections.unmodifiableSortedMap(new TreeMap<>(made == null ? Map.of() : made));
    }

    /** The same with what its instances were made from. */
    public DesiredEnvironment withMade(Map<String, String> newMade) {
        return new DesiredEnvironment(file, environment, counts, order, requires, startedAt, newMade);
    }
}
