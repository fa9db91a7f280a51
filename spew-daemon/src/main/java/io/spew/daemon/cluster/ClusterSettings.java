package io.spew.daemon.cluster;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.appliance.Durations;
import java.time.Duration;
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
 * @param rescheduleAfter how long a silent host may stay before it is lost and its instances are placed
 *     elsewhere ({@code 10s}, {@code 5000ms}...), or null for the transport's default (10 s)
 */
public record ClusterSettings(String listen, SortedMap<String, String> labels, List<String> seeds,
        String rescheduleAfter) {
    /** The shortest {@code --reschedule-after}: heartbeats go every tenth of it. */
    public static final Duration SHORTEST_RESCHEDULE = Duration.ofSeconds(1);

    public ClusterSettings {
        if (listen != null) {
            ClusterAddress.parse(listen, "cluster listen address");
        }
        labels = new TreeMap<>(labels == null ? Map.of() : labels);
        seeds = List.copyOf(seeds == null ? List.of() : seeds);
        seeds.forEach(seed -> ClusterAddress.parse(seed, "seed"));
        if (rescheduleAfter != null) {
            parseRescheduleAfter(rescheduleAfter);
        }
    }

    static ClusterSettings none() {
        return new ClusterSettings(null, null, null, null);
    }

    /**
     * Parses a {@code --reschedule-after} duration: from {@link #SHORTEST_RESCHEDULE} to 24 days, else
     * INVALID_ARGUMENT naming it.
     */
    public static Duration parseRescheduleAfter(String text) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "--reschedule-after: " + e.getMessage());
        }
        if (duration.compareTo(SHORTEST_RESCHEDULE) < 0 || duration.toMillis() > Integer.MAX_VALUE) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "--reschedule-after: " + text
                    + " is out of range (from 1s to 24 days; 10s when not given)");
        }
        return duration;
    }

    public ClusterSettings withoutSeeds() {
        return withSeeds(List.of());
    }

    ClusterSettings withListen(String newListen) {
        return new ClusterSettings(newListen, labels, seeds, rescheduleAfter);
    }

    ClusterSettings withLabels(Map<String, String> newLabels) {
        return new ClusterSettings(listen, new TreeMap<>(newLabels), seeds, rescheduleAfter);
    }

    public ClusterSettings withSeeds(List<String> newSeeds) {
        return new ClusterSettings(listen, labels, new ArrayList<>(newSeeds), rescheduleAfter);
    }

    ClusterSettings withRescheduleAfter(String newRescheduleAfter) {
        return new ClusterSettings(listen, labels, seeds, newRescheduleAfter);
    }
}
