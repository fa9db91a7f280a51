package io.spew.spi;

import static java.util.Objects.requireNonNull;

/**
 * Whether an extension can work on this host, and if not, why and what to do
 * ("systemd-nspawn not found: install systemd-container").
 */
public record Probe(boolean passed, String reason) {
    private static final Probe AVAILABLE = new Probe(true, "available");

    public Probe {
        requireNonNull(reason, "reason is null");
    }

    public static Probe ok() {
        return AVAILABLE;
    }

    public static Probe unavailable(String reason) {
        return new Probe(false, reason);
    }
}
