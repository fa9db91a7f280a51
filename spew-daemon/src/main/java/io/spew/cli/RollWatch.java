package io.spew.cli;

import io.spew.daemon.api.RollEntry;
import io.spew.daemon.client.DaemonClient;
import io.spew.environment.RollProgress;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Shows the progress of rolls live while a command waits for the daemon: polls
 * {@code GET /api/v1/rolls} on a thread of its own and prints one line a step
 * ({@code roll web: 2/6 replaced (web-1, web-2)}); on a terminal a progress line below them
 * ({@link ProgressBar}) shows how far the roll is and for how long it has run.
 */
final class RollWatch {
    private static final long POLL_MILLIS = 200;

    private final DaemonClient client;
    private final PrintWriter out;
    private final ProgressBar bar;
    private long last;
    private RollProgress current;

    private RollWatch(DaemonClient client, PrintWriter out, PrintWriter terminal) {
        this.client = client;
        this.out = out;
        this.bar = new ProgressBar(terminal, "", terminal != null);
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
        try {
            List<RollEntry> entries = client.rolls(last);
            if (!entries.isEmpty()) {
                bar.finish();
            }
            for (RollEntry entry : entries) {
                out.println(line(entry.progress()));
                last = entry.sequence();
                current = entry.progress();
            }
            out.flush();
        } catch (RuntimeException e) {
            // the command's own call reports a daemon that went away
        }
        if (current != null && current.phase() != RollProgress.Phase.DONE) {
            bar.draw(current.total() == 0 ? 1 : current.replaced() / (double) current.total(),
                    "roll " + current.appliance() + " " + versions(current) + ": " + current.replaced() + "/"
                            + current.total() + " replaced");
        }
    }

    static String line(RollProgress progress) {
        return "roll " + progress.appliance() + ": " + step(progress);
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
