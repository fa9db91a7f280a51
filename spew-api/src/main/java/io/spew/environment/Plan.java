package io.spew.environment;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code spew start} does (or did) to reach an environment, in order.
 *
 * @param file the environment file
 * @param environment the environment's name ({@code default} for the file's own counts)
 * @param counts the instance count of each appliance, sorted by name
 * @param steps the steps, in the order they run; empty when everything already matches
 */
public record Plan(String file, String environment, Map<String, Integer> counts, List<PlanStep> steps) {
    public Plan {
        requireNonNull(file, "file is null");
        requireNonNull(environment, "environment is null");
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
        steps = List.copyOf(steps);
    }
}
