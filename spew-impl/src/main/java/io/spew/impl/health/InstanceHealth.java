package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import io.spew.service.HealthCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one instance and its health: unhealthy when one check is, healthy when all are,
 * else starting. Changes reach the listener on the monitor's executor, in order.
 */
final class InstanceHealth {
    private final List<CheckLoop> loops = new ArrayList<>();
    private final HealthListener listener;
    private String health;

    InstanceHealth(String health, HealthListener listener) {
        this.health = requireNonNull(health, "health is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    void add(CheckLoop loop) {
        loops.add(loop);
    }

    void start() {
        loops.forEach(CheckLoop::start);
    }

    void stop() {
        loops.forEach(CheckLoop::stop);
    }

    /** Called on the monitor's executor when one check's verdict changed. */
    void checkChanged() {
        CheckLoop failing = loops.stream().filter(loop -> loop.verdict().equals(HealthCheck.UNHEALTHY)).findFirst().orElse(null);
        String next = failing != null ? HealthCheck.UNHEALTHY
                : loops.stream().allMatch(loop -> loop.verdict().equals(HealthCheck.HEALTHY)) ? HealthCheck.HEALTHY
                : HealthCheck.STARTING;
        if (!next.equals(health)) {
            health = next;
            listener.changed(next, failing == null ? null : failing.reason());
        }
    }
}
