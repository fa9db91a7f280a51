package io.spew.cli;

import io.spew.daemon.api.InstanceSummary;
import io.spew.instance.InstanceState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The table of {@code spew ps}: NAME ID APPLIANCE STATE PID RESTARTS EXIT AGE, then LIMITS when an instance has
 * some, and HOST (the first 8 characters of its id) when the instances run on more than one host.
 */
final class InstanceTable {
    private InstanceTable() {}

    /** Whether {@code spew ps} without {@code --all} shows an instance. */
    static boolean isShownByDefault(InstanceState state) {
        return state.isActive() || state == InstanceState.RESTARTING;
    }

    static boolean isShownByDefault(InstanceSummary instance) {
        return isShownByDefault(instance.state());
    }

    static void print(PrintWriter out, List<InstanceSummary> instances, String indent) {
        boolean limited = instances.stream().anyMatch(instance -> !instance.limits().isEmpty());
        boolean hosts = instances.stream().map(InstanceSummary::host).distinct().count() > 1;
        List<String> headers = new java.util.ArrayList<>(List.of("NAME", "ID", "APPLIANCE", "STATE", "PID", "RESTARTS",
                "EXIT", "AGE"));
        if (limited) {
            headers.add("LIMITS");
        }
        if (hosts) {
            headers.add("HOST");
        }
        Table table = new Table(headers.toArray(String[]::new));
        Instant now = Instant.now();
        for (InstanceSummary instance : instances) {
            List<Object> cells = new java.util.ArrayList<>(java.util.Arrays.asList(instance.name(), instance.id(),
                    instance.appliance(), instance.state(), instance.pid(), instance.restarts(), exit(instance),
                    age(instance.createdAt(), now)));
            if (limited) {
                cells.add(limitsText(instance));
            }
            if (hosts) {
                cells.add(instance.host().length() > 8 ? instance.host().substring(0, 8) : instance.host());
            }
            table.add(cells.toArray());
        }
        table.print(out, indent);
    }

    private static String limitsText(InstanceSummary instance) {
        Map<String, String> limits = instance.limits();
        return limits.isEmpty() ? null : limits.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(java.util.stream.Collectors.joining(","));
    }

    private static String exit(InstanceSummary instance) {
        return instance.exitCode() != null ? instance.exitCode().toString() : instance.exitSignal();
    }

    /** {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}. */
    static String age(Instant since, Instant now) {
        long seconds = Math.max(0, Duration.between(since, now).getSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
