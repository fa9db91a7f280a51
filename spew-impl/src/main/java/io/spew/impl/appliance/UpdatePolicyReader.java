package io.spew.impl.appliance;

import io.spew.appliance.UpdatePolicy;
import io.spew.impl.appliance.ConfigNode.Entry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code update: { max_parallel, min_healthy_time, healthy_deadline, canary, auto_revert, keep_data }}
 * of an appliance; errors name {@code file:line:column}.
 */
final class UpdatePolicyReader {
    private static final Set<String> KEYS =
            Set.of("max_parallel", "min_healthy_time", "healthy_deadline", "canary", "auto_revert", "keep_data");

    private UpdatePolicyReader() {}

    static UpdatePolicy read(ConfigNode node) {
        if (node == null) {
            return UpdatePolicy.DEFAULT;
        }
        Map<String, Entry> entries = node.entries("'update'", KEYS);
        int maxParallel = count(entries, "max_parallel", UpdatePolicy.DEFAULT.maxParallel());
        int canary = count(entries, "canary", 0);
        Duration minHealthy = duration(entries, "min_healthy_time");
        Duration deadline = duration(entries, "healthy_deadline");
        boolean autoRevert = flag(entries, "auto_revert", UpdatePolicy.DEFAULT.autoRevert());
        boolean keepData = flag(entries, "keep_data", UpdatePolicy.DEFAULT.keepData());
        try {
            return new UpdatePolicy(maxParallel, minHealthy, deadline, canary, autoRevert, keepData);
        } catch (IllegalArgumentException e) {
            throw node.error("update: " + e.getMessage());
        }
    }

    private static int count(Map<String, Entry> entries, String key, int otherwise) {
        Entry entry = entries.get(key);
        if (entry == null || entry.value().isNull()) {
            return otherwise;
        }
        return entry.value().count("'update." + key + "'");
    }

    private static Duration duration(Map<String, Entry> entries, String key) {
        Entry entry = entries.get(key);
        if (entry == null || entry.value().isNull()) {
            return null;
        }
        try {
            return Durations.parse(entry.value().text("'update." + key + "'"));
        } catch (IllegalArgumentException e) {
            throw entry.value().error("update." + key + ": " + e.getMessage());
        }
    }

    private static boolean flag(Map<String, Entry> entries, String key, boolean otherwise) {
        Entry entry = entries.get(key);
        if (entry == null || entry.value().isNull()) {
            return otherwise;
        }
        String text = entry.value().text("'update." + key + "'").trim();
        if (!text.equals("true") && !text.equals("false")) {
            throw entry.value().error("update: '" + key + "' must be true or false, not '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }
}
