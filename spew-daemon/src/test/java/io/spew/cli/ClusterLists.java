package io.spew.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the lists of cluster tests: instances ({@code GET /instances}, {@code ps --json}) and hosts per host. */
final class ClusterLists {
    private ClusterLists() {}

    /** The names of the instances listed on host {@code hostId}, whatever their state. */
    static List<String> namesOn(JsonNode instances, String hostId) {
        List<String> names = new ArrayList<>();
        for (JsonNode instance : instances) {
            if (instance.get("host").asText().equals(hostId)) {
                names.add(instance.get("name").asText());
            }
        }
        return names;
    }

    /** The pid of the instance named {@code name} in a list of instances, or -1 when it has none. */
    static long pidOf(JsonNode instances, String name) {
        for (JsonNode instance : instances) {
            if (instance.get("name").asText().equals(name) && instance.hasNonNull("pid")) {
                return instance.get("pid").asLong();
            }
        }
        return -1;
    }

    /** How many instances run on host {@code hostId}. */
    static int runningOn(JsonNode instances, String hostId) {
        int running = 0;
        for (JsonNode instance : instances) {
            if (instance.get("host").asText().equals(hostId) && instance.get("state").asText().equals("running")) {
                running++;
            }
        }
        return running;
    }

    /** The state of host {@code id} in a list of hosts ({@code GET /hosts}), or {@code absent}. */
    static String hostState(JsonNode hosts, String id) {
        for (JsonNode host : hosts) {
            if (host.get("id").asText().equals(id)) {
                return host.get("state").asText();
            }
        }
        return "absent";
    }

    /** Whether {@code count} hosts are listed ({@code GET /hosts}), every one up and with its runtimes told. */
    static boolean allUpWithRuntimes(JsonNode hosts, int count) {
        if (hosts.size() != count) {
            return false;
        }
        for (JsonNode host : hosts) {
            if (!host.get("state").asText().equals("up") || host.get("runtimes").isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
