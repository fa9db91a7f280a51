package io.spew.cli;

import io.spew.daemon.api.RollEntry;
import io.spew.daemon.client.DaemonClient;
import io.spew.environment.RollProgress;
import io.spew.host.Host;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Shows the progress of rolls live while a command waits for the daemon: polls
 * {@code GET /api/v1/rolls} on a thread of its own and prints one line a step
 * ({@code roll web: 2/6 replaced (web-1, web-2)}); on a terminal a progress line below them
 * ({@link ProgressBar}) shows how far the roll is and for how long it has run. In a cluster each host rolls its
 * own instances: each line names its host ({@code roll web on node-b: 1/2 replaced (web-3)}) and the progress line
 * adds up every host's part.
 */
final class RollWatch {
    private static final long POLL_MILLIS = 200;

    private final DaemonClient client;
    private final PrintWriter out;
    private final ProgressBar bar;
    private final Function<String, String> hostLabel;
    private final Map<String, RollProgress> current = new LinkedHashMap<>();
    private long last;

    private RollWatch(DaemonClient client, PrintWriter out, PrintWriter terminal) {
        this.client = client;
        this.out = out;
        this.bar = new ProgressBar(terminal, "", terminal != null);
        this.hostLabel = hostLabels(client.hosts());
    }

    static <T> T around(DaemonClient client, PrintWriter out, PrintWriter err, Supplier<T> action) {
        RollWatch watch = new RollWatch(client, out, System.console() != null ? err : null);
        List<RollEntry> before = client.rolls(0);
        watch.last = before.isEmpty() ? 0 : before.get(before.size() - 1).sequence();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                watch.print();
            }
        }, "spew-roll-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return action.get();
        } finally {
            watcher.interrupt();
            try {
                watcher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watch.print();
            watch.bar.finish();
        }
    }

    private synchronized void print() {
        RollProgress latest = null;
        try {
            List<RollEntry> entries = client.rolls(last);
            if (!entries.isEmpty()) {
                bar.finish();
            }
            for (RollEntry entry : entries) {
                out.println(line(entry.progress(), hostLabel));
                last = entry.sequence();
                latest = entry.progress();
                current.put(latest.appliance() + "@" + latest.host(), latest);
            }
            out.flush();
        } catch (RuntimeException e) {
            // the command's own call reports a daemon that went away
        }
        if (latest == null && !current.isEmpty()) {
            latest = current.values().stream().reduce((first, second) -> second).orElseThrow();
        }
        if (latest != null) {
            draw(latest.appliance());
        }
    }

    /** The progress line of an appliance's roll: every host's part added up, until each is done. */
    private void draw(String appliance) {
        List<RollProgress> hosts = current.values().stream().filter(step -> step.appliance().equals(appliance))
                .toList();
        if (hosts.stream().allMatch(step -> step.phase() == RollProgress.Phase.DONE)) {
            return;
        }
        int replaced = hosts.stream().mapToInt(RollProgress::replaced).sum();
        int total = hosts.stream().mapToInt(RollProgress::total).sum();
        RollProgress last = hosts.get(hosts.size() - 1);
        bar.draw(total == 0 ? 1 : replaced / (double) total, "roll " + appliance + " " + versions(last) + ": "
                + replaced + "/" + total + " replaced" + (hosts.size() > 1 ? " on " + hosts.size() + " hosts" : ""));
    }

    /**
     * How lines name the host of a step: null (no name) when there is one host; else its name, or the first 8
     * characters of its id when several hosts have that name.
     */
    static Function<String, String> hostLabels(List<Host> hosts) {
        if (hosts.size() <= 1) {
            return id -> null;
        }
        Map<String, Long> names = hosts.stream().collect(Collectors.groupingBy(Host::name, Collectors.counting()));
        Map<String, String> labels = hosts.stream().collect(Collectors.toMap(Host::id,
                host -> names.get(host.name()) > 1 ? host.id().substring(0, Math.min(8, host.id().length()))
                        : host.name(), (first, second) -> first));
        return id -> id == null ? null : labels.getOrDefault(id, id.substring(0, Math.min(8, id.length())));
    }

    static String line(RollProgress progress) {
        return line(progress, id -> null);
    }

    /** {@code roll web: ...}, or {@code roll web on node-b: ...} when {@code hostLabel} names the step's host. */
    static String line(RollProgress progress, Function<String, String> hostLabel) {
        String host = hostLabel.apply(progress.host());
        return "roll " + progress.appliance() + (host == null ? "" : " on " + host) + ": " + step(progress);
    }

    /** What a step did: {@code 2/6 replaced (web-1, web-2)}. */
    static String step(RollProgress progress) {
        String counts = progress.replaced() + "/" + progress.total();
        return switch (progress.phase()) {
            case STARTED -> "started, " + versions(progress) + ", " + counts + " on the new version";
            case REPLACED -> counts + " replaced (" + progress.detail() + ")";
            case PAUSED -> "paused after the canaries, " + counts + ": 'spew promote " + progress.appliance()
                    + "' goes on";
            case PROMOTED -> "promoted, " + counts + " on the new version: the others follow";
            case DONE -> "done, " + counts;
            case FAILED -> "failed: " + progress.detail();
            case REVERTED -> progress.detail();
        };
    }

    /** {@code version 1 → 2}, or {@code version 3} for a rolling restart. */
    static String versions(RollProgress progress) {
        if (progress.fromVersion() != null && progress.fromVersion().equals(progress.toVersion())) {
            return "version " + progress.toVersion();
        }
        return "version " + (progress.fromVersion() == null ? "?" : progress.fromVersion()) + " → "
                + (progress.toVersion() == null ? "?" : progress.toVersion());
    }
}
