package io.spew.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with bytes per second, drawn on a terminal once the work has taken more
 * than a second; nothing at all when not on a terminal or when asked for JSON.
 */
final class ProgressBar {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private boolean drawn;

    ProgressBar(PrintWriter out, String label, boolean enabled) {
        this.out = out;
        this.label = label;
        this.enabled = enabled;
    }

    void update(long done, long total) {
        long elapsed = System.nanoTime() - start;
        if (!enabled || elapsed < SHOW_AFTER_NANOS) {
            return;
        }
        double fraction = total > 0 ? Math.min(1.0, done / (double) total) : 0;
        int filled = (int) Math.round(fraction * WIDTH);
        double perSecond = done / (elapsed / 1e9);
        out.printf(Locale.ROOT, "\r%s [%s%s] %3.0f%% %s of %s, %s/s ", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                fraction * 100, bytes(done), bytes(total), bytes((long) perSecond));
        out.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            out.print("\r\033[K");
            out.flush();
        }
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
