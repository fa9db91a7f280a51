package io.spew.daemon.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a daemon keeps in {@code cluster/cluster.json} besides the key: where it listens for the cluster,
 * its labels, and the cluster addresses of members it asks first when it starts.
 *
 * @param listen the cluster address ({@code host:port}) it listens on, or null for this host's address on
 *     port {@value ClusterAddress#DEFAULT_PORT}
 * @param labels its labels, sorted
 * @param seeds cluster addresses of members, as the join token gave them
 */
public record ClusterSettings(String listen, SortedMap<String, String> labels, List<String> seeds) {
    public ClusterSettings {
        if (listen != null) {
            ClusterAddress.parse(listen, "cluster listen address");
        }
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        seeds = List.copyOf(seeds == null ? List.of() : seeds);
        seeds.forEach(seed -> ClusterAddress.parse(seed, "seed"));
    }

    static ClusterSettings none() {
        return new ClusterSettings(null, null, null);
    }

    public ClusterSettings withoutSeeds() {
        return withSeeds(List.of());
    }

    ClusterSettings withListen(String newListen) {
        return new ClusterSettings(newListen, labels, seeds);
    }

    ClusterSettings withLabels(Map<String, String> newLabels) {
        return new ClusterSettings(listen, new TreeMap<>(newLabels), seeds);
    }

    public ClusterSettings withSeeds(List<String> newSeeds) {
        return new ClusterSettings(listen, labels, new ArrayList<>(newSeeds));
    }
}
