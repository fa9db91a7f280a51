package io.spew.cli;

import io.spew.daemon.api.RollEntry;
import io.spew.daemon.client.DaemonClient;
import io.spew.environment.RollProgress;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prints the steps of rolls live while a command waits for the daemon: polls
 * {@code GET /api/v1/rolls} on a thread of its own and prints one line a step.
 */
final class RollWatch {
    private static final long POLL_MILLIS = 200;

    private RollWatch() {}

    static <T> T around(DaemonClient client, PrintWriter out, Supplier<T> action) {
        List<RollEntry> before = client.rolls(0);
        long[] last = {before.isEmpty() ? 0 : before.get(before.size() - 1).sequence()};
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                last[0] = print(client, out, last[0]);
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
            print(client, out, last[0]);
        }
    }

    private static synchronized long print(DaemonClient client, PrintWriter out, long after) {
        long last = after;
        try {
            for (RollEntry entry : client.rolls(after)) {
                out.println(line(entry.progress()));
                last = entry.sequence();
            }
            out.flush();
        } catch (RuntimeException e) {
            // the command's own call reports a daemon that went away
        }
        return last;
    }

    static String line(RollProgress progress) {
        String counts = progress.replaced() + "/" + progress.total();
        return "roll " + progress.appliance() + ": " + switch (progress.phase()) {
            case STARTED -> "started, " + counts + " on the new version";
            case REPLACED -> counts + " replaced (" + progress.detail() + ")";
            case PAUSED -> "paused after the canaries, " + counts + ": 'spew promote " + progress.appliance()
                    + "' goes on";
            case DONE -> "done, " + counts;
            case FAILED -> "failed: " + progress.detail();
        };
    }
}
