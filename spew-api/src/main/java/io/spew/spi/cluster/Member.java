package io.spew.spi.cluster;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A host as the cluster knows it.
 *
 * @param id the host's stable id
 * @param name its host name
 * @param address where its daemon is reached, or null
 * @param labels its labels
 */
public record Member(String id, String name, String address, Map<String, String> labels) {
    public Member {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }
}
