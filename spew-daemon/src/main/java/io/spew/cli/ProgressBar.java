package io.spew.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar (with bytes per second, or a text of the caller's), drawn on a terminal
 * once the work has taken more than a second; nothing at all when not on a terminal or when asked
 * for JSON.
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
        double perSecond = done / (elapsed / 1e9);
        draw(total > 0 ? done / (double) total : 0,
                bytes(done) + " of " + bytes(total) + ", " + bytes((long) perSecond) + "/s");
    }

    /** Draws the bar at {@code fraction} (0 to 1) with {@code text} after it, and the time taken so far. */
    void draw(double fraction, String text) {
        long elapsed = System.nanoTime() - start;
        if (!enabled || elapsed < SHOW_AFTER_NANOS) {
            return;
        }
        double bounded = Math.max(0, Math.min(1.0, fraction));
        int filled = (int) Math.round(bounded * WIDTH);
        out.printf(Locale.ROOT, "\r%s[%s%s] %3.0f%% %s, %ds ", label.isEmpty() ? "" : label + " ", "#".repeat(filled),
                " ".repeat(WIDTH - filled), bounded * 100, text, elapsed / 1_000_000_000L);
        out.flush();
        drawn = true;
    }

    /** Clears the bar (it is drawn again at the next update). */
    void finish() {
        if (drawn) {
            out.print("\r\033[K");
            out.flush();
            drawn = false;
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
