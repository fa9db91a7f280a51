package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of the {@code jgroups} transport, parsed from the engine's {@code Map<String, String>}.
 *
 * @param bindAddress the address the transport listens on
 * @param port its TCP port
 * @param initialMembers the seed members to ask for the cluster at start
 * @param clusterName the JGroups cluster (members of other names never meet)
 * @param clusterKey the shared secret every message is sealed with
 * @param joinTimeoutMillis how long a start waits for a coordinator before it forms a cluster of one
 * @param failureTimeoutMillis silence after which a member is suspected (default 60% of {@value #LOST_AFTER})
 * @param verifyTimeoutMillis how long a suspicion is checked before the member is dropped (default 20% of
 *     {@value #LOST_AFTER}): with heartbeats every sixth of the failure timeout, a silent member is dropped
 *     from the view within 90% of {@value #LOST_AFTER} (10 s by default)
 * @param mergeIntervalMillis the longest interval between checks for partitions to merge
 */
record JGroupsSettings(
        String bindAddress,
        int port,
        List<HostAndPort> initialMembers,
        String clusterName,
        ClusterKey clusterKey,
        long joinTimeoutMillis,
        long failureTimeoutMillis,
        long verifyTimeoutMillis,
        long mergeIntervalMillis) {
    static final String BIND_ADDRESS = "bind-address";
    static final String PORT = "port";
    static final String INITIAL_MEMBERS = "initial-members";
    static final String CLUSTER_NAME = "cluster-name";
    static final String CLUSTER_KEY = "cluster-key";
    static final String CLUSTER_KEY_FILE = "cluster-key-file";
    static final String JOIN_TIMEOUT = "join-timeout-ms";
    static final String FAILURE_TIMEOUT = "failure-timeout-ms";
    static final String VERIFY_TIMEOUT = "verify-timeout-ms";
    static final String MERGE_INTERVAL = "merge-interval-ms";
    static final String LOST_AFTER = "lost-after-ms";
    static final String RAFT_DIRECTORY = "raft-directory";

    private static final Set<String> KNOWN = new TreeSet<>(List.of(BIND_ADDRESS, PORT, INITIAL_MEMBERS, CLUSTER_NAME,
            CLUSTER_KEY, CLUSTER_KEY_FILE, JOIN_TIMEOUT, FAILURE_TIMEOUT, VERIFY_TIMEOUT, MERGE_INTERVAL,
            LOST_AFTER, RAFT_DIRECTORY));
    private static final long DEFAULT_LOST_AFTER_MILLIS = 10_000;
    private static final long MINIMUM_LOST_AFTER_MILLIS = 1000;

    JGroupsSettings {
        requireNonNull(bindAddress, "bindAddress is null");
        initialMembers = List.copyOf(initialMembers);
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(clusterKey, "clusterKey is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (joinTimeoutMillis <= 0 || failureTimeoutMillis <= 0 || verifyTimeoutMillis <= 0 || mergeIntervalMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Parses the transport's settings; an unknown or malformed key fails naming it. */
    static JGroupsSettings parse(Map<String, String> config) {
        Map<String, String> settings = new TreeMap<>(config);
        for (String key : settings.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "unknown jgroups transport setting '" + key
                        + "' (known: " + String.join(", ", KNOWN) + ")");
            }
        }
        long lostAfter = number(settings, LOST_AFTER, DEFAULT_LOST_AFTER_MILLIS, Integer.MAX_VALUE);
        if (lostAfter < MINIMUM_LOST_AFTER_MILLIS) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + LOST_AFTER + "' has " + lostAfter
                    + ", expected at least " + MINIMUM_LOST_AFTER_MILLIS + " (heartbeats go every 10% of it)");
        }
        return new JGroupsSettings(
                settings.getOrDefault(BIND_ADDRESS, "127.0.0.1").strip(),
                (int) number(settings, PORT, 7800, 65535),
                members(settings.getOrDefault(INITIAL_MEMBERS, "")),
                clusterName(settings.getOrDefault(CLUSTER_NAME, "spew")),
                clusterKey(settings),
                number(settings, JOIN_TIMEOUT, 3000, Integer.MAX_VALUE),
                number(settings, FAILURE_TIMEOUT, lostAfter * 3 / 5, Integer.MAX_VALUE),
                number(settings, VERIFY_TIMEOUT, lostAfter / 5, Integer.MAX_VALUE),
                number(settings, MERGE_INTERVAL, 10_000, Integer.MAX_VALUE));
    }

    /** Where the Raft log is kept ({@value #RAFT_DIRECTORY}), or null to keep it in memory. */
    static Path raftDirectory(Map<String, String> config) {
        String text = config.get(RAFT_DIRECTORY);
        return text == null || text.isBlank() ? null : Path.of(text.strip());
    }

    /**
     * The settings of the Raft channel: the same, one port up, and so are the seeds (every member's Raft channel
     * listens on its cluster port + 1).
     */
    JGroupsSettings forRaft() {
        if (port == 65535) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + PORT + "' 65535 leaves no port above it for"
                    + " the cluster's replicated state: choose a lower port");
        }
        return new JGroupsSettings(bindAddress, port + 1, initialMembers.stream()
                .map(member -> new HostAndPort(member.host(), member.port() + 1)).toList(), clusterName, clusterKey,
                joinTimeoutMillis, failureTimeoutMillis, verifyTimeoutMillis, mergeIntervalMillis);
    }

    private static long number(Map<String, String> settings, String key, long fallback, long maximum) {
        String text = settings.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 1 && value <= maximum) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT,
                "'" + key + "' has '" + text + "', expected a whole number from 1 to " + maximum);
    }

    private static List<HostAndPort> members(String text) {
        List<HostAndPort> members = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                members.add(HostAndPort.parse(item, INITIAL_MEMBERS));
            }
        }
        return members;
    }

    private static String clusterName(String text) {
        if (!text.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + CLUSTER_NAME + "' has '" + text
                    + "', expected 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return text;
    }

    private static ClusterKey clusterKey(Map<String, String> settings) {
        String inline = settings.get(CLUSTER_KEY);
        String file = settings.get(CLUSTER_KEY_FILE);
        if ((inline == null) == (file == null)) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "the jgroups transport needs exactly one of '"
                    + CLUSTER_KEY + "' (base64) or '" + CLUSTER_KEY_FILE + "' (a file holding it)");
        }
        if (inline != null) {
            return ClusterKey.parse(inline, CLUSTER_KEY);
        }
        try {
            return ClusterKey.parse(Files.readString(Path.of(file), StandardCharsets.US_ASCII), CLUSTER_KEY_FILE);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.KEY_NOT_FOUND, "cannot read '" + CLUSTER_KEY_FILE + "' " + file + ": "
                    + e.getMessage() + " (check the path and that it is readable)");
        }
    }

    @Override
    public String toString() {
        return "JGroupsSettings[" + bindAddress + "[" + port + "], cluster " + clusterName + ", seeds " + initialMembers + "]";
    }
}
