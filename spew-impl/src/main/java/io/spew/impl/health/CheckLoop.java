package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import io.spew.service.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check of one instance again and again and keeps its verdict. Until the first verdict
 * the probe runs every {@link #START_CADENCE} (at most), so that a service that came up is found
 * healthy at once; failures then count once per {@code interval}, as they would at the usual pace
 * (a starting service has {@code retries × interval} to come up, as with probes every interval).
 * Failures within the start grace never count; the grace ends early once the check passed. The probe is timed by the shared scheduler and judged
 * on the monitor's executor, one at a time.
 */
final class CheckLoop {
    static final Duration START_CADENCE = Duration.ofMillis(250);

    private final String name;
    private final HealthCheck check;
    private final Probe probe;
    private Instant graceEnds;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Runnable onChange;
    private final Duration startCadence;
    /** While starting, one failure in this many counts. */
    private final long countEvery;

    private volatile boolean stopped;
    private ScheduledFuture<?> next;
    private String verdict;
    private String lastFailure;
    private int failures;
    private long startingFailures;

    CheckLoop(String name, HealthCheck check, Probe probe, Instant graceEnds, String verdict,
            ScheduledExecutorService scheduler, Executor executor, Runnable onChange) {
        this.name = requireNonNull(name, "name is null");
        this.check = requireNonNull(check, "check is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.graceEnds = requireNonNull(graceEnds, "graceEnds is null");
        this.verdict = requireNonNull(verdict, "verdict is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.onChange = requireNonNull(onChange, "onChange is null");
        this.startCadence = check.interval().compareTo(START_CADENCE) < 0 ? check.interval() : START_CADENCE;
        this.countEvery = Math.max(1, (check.interval().toMillis() + startCadence.toMillis() - 1) / startCadence.toMillis());
    }

    void start() {
        schedule(Duration.ZERO);
    }

    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    /** Read on the monitor's executor only. */
    String verdict() {
        return verdict;
    }

    /** Why it is unhealthy, for people. */
    String reason() {
        return "check " + check.describe() + " of service " + name + " failed " + failures + " time"
                + (failures == 1 ? "" : "s") + " in a row: " + lastFailure;
    }

    private synchronized void schedule(Duration delay) {
        if (!stopped) {
            next = scheduler.schedule(() -> executor.execute(this::probe), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probe() {
        if (stopped) {
            return;
        }
        CompletableFuture<String> result;
        try {
            result = probe.run();
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(e.toString());
        }
        result.whenComplete((failure, error) -> executor.execute(() -> judge(error == null ? failure : error.toString())));
    }

    private void judge(String failure) {
        if (stopped) {
            return;
        }
        String before = verdict;
        if (failure == null) {
            failures = 0;
            startingFailures = 0;
            graceEnds = Instant.MIN;
            verdict = HealthCheck.HEALTHY;
        } else {
            lastFailure = failure;
            if (!Instant.now().isBefore(graceEnds) && counts()) {
                failures++;
                if (failures >= check.retries()) {
                    verdict = HealthCheck.UNHEALTHY;
                }
            }
        }
        if (!verdict.equals(before)) {
            onChange.run();
        }
        schedule(verdict.equals(HealthCheck.STARTING) ? startCadence : check.interval());
    }

    private boolean counts() {
        return !verdict.equals(HealthCheck.STARTING) || ++startingFailures % countEvery == 0;
    }
}
