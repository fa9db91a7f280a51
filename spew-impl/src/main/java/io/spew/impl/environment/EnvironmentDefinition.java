package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.impl.appliance.ParsedAppliance;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An environment file as read, with its includes.
 *
 * @param file the top file
 * @param appliances the appliances it defines, in file order (includes first)
 * @param counts {@code instances:}, in file order
 * @param environments {@code environments:}: the counts each one changes
 * @param locations where each count was written, by {@code appliance} or {@code environment.appliance}
 */
record EnvironmentDefinition(
        String file,
        Map<String, ParsedAppliance> appliances,
        Map<String, Integer> counts,
        Map<String, Map<String, Integer>> environments,
        Map<String, String> locations) {
    EnvironmentDefinition {
        requireNonNull(file, "file is null");
        appliances = Collections.unmodifiableMap(new LinkedHashMap<>(appliances));
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        locations = Map.copyOf(locations);
    }
}
