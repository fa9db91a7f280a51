package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link Instances#run} and {@link Instances#create} take.
 *
 * @param appliance the name of an applied appliance
 * @param name the instance name, or null for {@code <appliance>-<index>}
 * @param settings values for the appliance's {@code options}, overriding its defaults
 */
public record RunRequest(String appliance, String name, Map<String, String> settings) {
    public RunRequest {
        requireNonNull(appliance, "appliance is null");
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings == null ? Map.of() : settings));
    }

    public static RunRequest of(String appliance) {
        return new RunRequest(appliance, null, null);
    }

    public RunRequest withName(String newName) {
        return new RunRequest(appliance, newName, settings);
    }

    public RunRequest withSetting(String key, String value) {
        SortedMap<String, String> copy = new TreeMap<>(settings);
        copy.put(key, value);
        return new RunRequest(appliance, name, copy);
    }
}
