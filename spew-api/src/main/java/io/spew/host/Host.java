package io.spew.host;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One host of the cluster.
 *
 * @param id its stable id (kept in the data directory)
 * @param name its host name
 * @param address the address it is reached at, or null
 * @param state up, suspect or lost
 * @param local whether this is the host that answered
 * @param runtimes the runtimes whose probe passed there, by priority
 * @param labels its labels, sorted
 * @param cores its processor count
 * @param memoryBytes its total memory
 */
public record Host(
        String id,
        String name,
        String address,
        HostState state,
        boolean local,
        List<String> runtimes,
        Map<String, String> labels,
        int cores,
        long memoryBytes) {
    public Host {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        runtimes = List.copyOf(runtimes);
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }
}
