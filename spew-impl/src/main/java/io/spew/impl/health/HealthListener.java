package io.spew.impl.health;

/** Told when the health of a watched instance changes, from the monitor's thread, in order. */
@FunctionalInterface
public interface HealthListener {
    /**
     * @param health {@code starting}, {@code healthy} or {@code unhealthy}
     * @param reason why, for an unhealthy instance (the check and its last failure), else null
     */
    void changed(String health, String reason);
}
