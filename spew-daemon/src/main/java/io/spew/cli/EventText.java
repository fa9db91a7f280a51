package io.spew.cli;

import io.spew.build.BuildFetch;
import io.spew.daemon.api.BuildEvent;
import io.spew.daemon.api.RollEvent;
import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceState;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One event as {@code spew events} prints it: local time, host, instance, what changed, why.
 * {@code 2026-05-01 12:00:03.120  node-a  hello-1 state running → crashed (exit 1)}; a step of a
 * roll: {@code 2026-05-01 12:00:04.000  web roll version 1 → 2: 2/6 replaced (web-1, web-2)}.
 */
final class EventText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private EventText() {}

    static String line(InstanceEvent event, Function<String, String> hostName) {
        return TIME.format(event.time()) + "  " + hostName.apply(event.host()) + "  " + event.name() + " "
                + change(event) + details(event);
    }

    static String line(RollEvent event) {
        return line(event, id -> null);
    }

    /**
     * A step of a roll, with the host whose instances it rolls where {@code hostLabel} names it (in a cluster):
     * {@code 2026-05-01 12:00:04.000  node-b  web roll version 1 → 2: 1/2 replaced (web-3)}.
     */
    static String line(RollEvent event, Function<String, String> hostLabel) {
        String host = hostLabel.apply(event.host());
        return TIME.format(event.time()) + "  " + (host == null ? "" : host + "  ") + event.appliance() + " roll "
                + RollWatch.versions(event.progress()) + ": " + RollWatch.step(event.progress());
    }

    /**
     * A step of fetching a build from another host:
     * {@code 2026-05-01 12:00:05.000  build 1a2b3c4d5e6f fetching from node-b (web@1.4, 20.0 MB)}.
     */
    static String line(BuildEvent event, Function<String, String> hostName) {
        BuildFetch step = event.step();
        String from = step.host() == null ? "" : " from " + hostName.apply(step.host());
        String detail = switch (step.phase()) {
            case FETCHING -> step.bytes() == 0
                    ? " (" + (step.detail() == null ? "" : step.detail() + ", ") + megabytes(step.total()) + ")"
                    : ": " + megabytes(step.bytes()) + " of " + megabytes(step.total());
            case FETCHED -> step.detail() == null ? "" : " (" + step.detail() + ")";
            case FAILED -> step.detail() == null ? "" : ": " + step.detail();
        };
        return TIME.format(step.time()) + "  build " + step.shortId() + " " + step.phase() + from + detail;
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String change(InstanceEvent event) {
        String what = event.type() == InstanceEvent.Type.RESTART ? "restarts" : event.type().toString();
        return event.previous() == null
                ? what + " " + event.value()
                : what + " " + event.previous() + " → " + event.value();
    }

    private static String details(InstanceEvent event) {
        List<String> details = new ArrayList<>(2);
        ExitStatus exit = event.exitStatus();
        if (event.type() == InstanceEvent.Type.STATE && hasEnded(event.state()) && exit != null && exit.isKnown()) {
            details.add(exit.toString());
        }
        if (event.message() != null && !event.message().isBlank()) {
            details.add(event.message());
        }
        return details.isEmpty() ? "" : " (" + String.join("; ", details) + ")";
    }

    private static boolean hasEnded(InstanceState state) {
        return state == InstanceState.STOPPED || state == InstanceState.CRASHED;
    }
}
