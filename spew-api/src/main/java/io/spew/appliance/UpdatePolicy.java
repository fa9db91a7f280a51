package io.spew.appliance;

import java.time.Duration;

/**
 * How a change to an appliance rolls over the instances of an environment:
 * {@code update: { max_parallel: 2, min_healthy_time: 10s, healthy_deadline: 5m, canary: 1,
 * auto_revert: true, keep_data: true }}. At most {@code maxParallel} instances are replaced at a
 * time; each must be running and healthy for {@code minHealthyTime} before the next ones go. One
 * that is not healthy within {@code healthyDeadline} stops the roll, and with {@code autoRevert}
 * the instances already replaced go back to the previous version. With {@code canary} &gt; 0 the
 * roll stops after that many instances and waits for {@code spew promote}.
 *
 * @param maxParallel how many instances are replaced at a time, at least 1
 * @param minHealthyTime how long a new instance must stay healthy before the roll goes on
 * @param healthyDeadline how long a new instance has to become healthy
 * @param canary how many instances are replaced before the roll waits for a promotion; 0 for none
 * @param autoRevert whether a failed roll goes back to the previous version
 * @param keepData whether a replaced instance keeps its writable layer (nspawn); otherwise it starts fresh
 */
public record UpdatePolicy(int maxParallel, Duration minHealthyTime, Duration healthyDeadline, int canary,
        boolean autoRevert, boolean keepData) {
    /** One at a time, healthy at once, 5 minutes to get there, no canary, no revert, data kept. */
    public static final UpdatePolicy DEFAULT = new UpdatePolicy(1, null, null, 0, false, true);

    public UpdatePolicy {
        minHealthyTime = minHealthyTime == null ? Duration.ZERO : minHealthyTime;
        healthyDeadline = healthyDeadline == null ? Duration.ofMinutes(5) : healthyDeadline;
        if (maxParallel < 1) {
            throw new IllegalArgumentException("max_parallel must be at least 1, not " + maxParallel);
        }
        if (canary < 0) {
            throw new IllegalArgumentException("canary must not be negative: " + canary);
        }
        if (minHealthyTime.isNegative() || healthyDeadline.isNegative() || healthyDeadline.isZero()) {
            throw new IllegalArgumentException("update durations must be positive");
        }
        if (healthyDeadline.compareTo(minHealthyTime) < 0) {
            throw new IllegalArgumentException("healthy_deadline (" + healthyDeadline
                    + ") is shorter than min_healthy_time (" + minHealthyTime + ")");
        }
    }
}
