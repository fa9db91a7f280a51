package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.health.HealthMonitor;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RestartPolicy;
import io.spew.instance.Signal;
import io.spew.service.HealthCheck;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.spi.runtime.ExitListener;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.RuntimeHandle;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs the lifecycle of instances: start, stop, kill, the end of a process, and the adoption of
 * processes a previous engine started. Each change is persisted before it is announced. Ends of
 * processes arrive from the runtimes and are handled on one executor, never a thread per instance.
 */
@Singleton
public final class InstanceSupervisor {
    private static final System.Logger LOG = System.getLogger(InstanceSupervisor.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** The shell's exit codes for a command that is not executable and one that was not found. */
    private static final int COMMAND_NOT_EXECUTABLE = 126;
    private static final int COMMAND_NOT_FOUND = 127;

    private final RuntimeRegistry runtimes;
    private final InstanceRepository repository;
    private final InstanceEvents events;
    private final Executor exits;
    private final ScheduledExecutorService scheduler;
    private final HealthMonitor health;

    @Inject
    public InstanceSupervisor(RuntimeRegistry runtimes, InstanceRepository repository, InstanceEvents events,
            @Named("exits") Executor exits, ScheduledExecutorService scheduler, HealthMonitor health) {
        this.health = requireNonNull(health, "health is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.events = requireNonNull(events, "events is null");
        this.exits = requireNonNull(exits, "exits is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    /** Starts the instance by hand: its restart history starts afresh. */
    Instance start(InstanceRecord record, boolean restart) {
        synchronized (record) {
            if (record.instance.state().isActive()) {
                return record.instance;
            }
            cancelRestart(record);
            record.restarts = RestartHistory.NONE;
            return launch(record, restart);
        }
    }

    /** Starts the current process of the instance; a start error fails it at once, without retries. */
    private Instance launch(InstanceRecord record, boolean restart) {
        synchronized (record) {
            Instance instance = record.instance;
            InstanceRuntime runtime = runtimes.get(instance.runtime());
            record.ended = new CompletableFuture<>();
            int restarts = instance.restarts() + (restart ? 1 : 0);
            RuntimeHandle handle;
            try {
                repository.openLogs(record.directory);
                handle = runtime.start(launchRequest(record), listener(record));
            } catch (SpewException e) {
                repository.closeLogs(record.directory);
                change(record, null, with(instance, InstanceState.FAILED, null, restarts, instance.exitStatus(),
                        instance.startedAt(), Instant.now(), e.getMessage()));
                throw e;
            }
            Instance running = with(instance, InstanceState.RUNNING, pidOf(handle), restarts, null, Instant.now(), null, null);
            try {
                return change(record, handle, withHealth(running, watchHealth(record, running, handle), null));
            } catch (SpewException e) {
                // its state could not be written (no space): a process nobody would track must not run on
                health.unwatch(instance.id());
                runtime.kill(handle, Signal.SIGKILL);
                repository.closeLogs(record.directory);
                throw e;
            }
        }
    }

    Instance stop(InstanceRecord record) {
        CompletableFuture<Instance> ended;
        Duration timeout;
        synchronized (record) {
            Instance instance = record.instance;
            if (instance.state() == InstanceState.RESTARTING) {
                cancelRestart(record);
                return change(record, null, with(instance, InstanceState.STOPPED, null, instance.restarts(),
                        instance.exitStatus(), instance.startedAt(), instance.finishedAt(), "stopped while restarting"));
            }
            if (!instance.state().isActive()) {
                return instance;
            }
            timeout = instance.spec().stop().timeout();
            ended = record.ended;
            if (instance.state() != InstanceState.STOPPING) {
                change(record, record.handle, with(instance, InstanceState.STOPPING, instance.pid(),
                        instance.restarts(), null, instance.startedAt(), null, null));
            }
            runtimes.get(instance.runtime()).stop(record.handle, instance.spec().stop());
        }
        return await(record, ended, timeout.plus(STOP_GRACE));
    }

    Instance kill(InstanceRecord record, Signal signal) {
        synchronized (record) {
            Instance instance = record.instance;
            if (!instance.state().isActive()) {
                throw new SpewException(ErrorCode.INVALID_STATE, "instance " + instance.name() + " is "
                        + instance.state() + ", not running: nothing to signal");
            }
            runtimes.get(instance.runtime()).kill(record.handle, signal);
            return instance;
        }
    }

    /**
     * Gives an instance a new spec (its service addresses rendered again), persisted; its process, if
     * any, runs on. Returns null when the instance was removed meanwhile.
     */
    Instance respec(InstanceRecord record, Function<Instance, InstanceSpec> spec) {
        synchronized (record) {
            if (record.removed) {
                return null;
            }
            Instance instance = record.instance;
            return change(record, record.handle, new Instance(instance.id(), spec.apply(instance), instance.host(),
                    instance.state(), instance.health(), instance.pid(), instance.restarts(), instance.exitStatus(),
                    instance.createdAt(), instance.startedAt(), instance.finishedAt(), instance.message()));
        }
    }

    /** Takes over the process of a stored instance, or records that it ended while nobody watched. */
    void adopt(InstanceRecord record) {
        synchronized (record) {
            Instance instance = record.instance;
            if (instance.state() == InstanceState.RESTARTING) {
                Instant due = record.restarts.next() == null ? Instant.now() : record.restarts.next();
                schedule(record, Duration.between(Instant.now(), due));
                return;
            }
            if (!instance.state().isActive()) {
                return;
            }
            Optional<RuntimeHandle> adopted = Optional.empty();
            String why = "ended while no engine was watching";
            if (record.handle != null) {
                try {
                    adopted = runtimes.get(instance.runtime())
                            .recover(record.handle, launchRequest(record), listener(record));
                } catch (SpewException e) {
                    why = "could not be adopted: " + e.getMessage();
                }
            }
            if (adopted.isPresent()) {
                record.handle = adopted.get();
                repository.openLogs(record.directory);
                if (instance.state() == InstanceState.STOPPING) {
                    runtimes.get(instance.runtime()).stop(record.handle, instance.spec().stop());
                } else if (instance.state() == InstanceState.RUNNING) {
                    String now = watchHealth(record, instance, record.handle);
                    if (!now.equals(instance.health())) {
                        change(record, record.handle, withHealth(instance, now, instance.message()));
                    }
                }
                return;
            }
            boolean asked = instance.state() == InstanceState.STOPPING;
            change(record, null, with(instance, asked ? InstanceState.STOPPED : InstanceState.CRASHED, null,
                    instance.restarts(), ExitStatus.unknown(), instance.startedAt(), Instant.now(), why));
            if (!asked) {
                afterEnd(record, ExitStatus.unknown(), false);
            }
        }
    }

    /** Forgets a pending restart of an instance that is being removed. */
    void forget(InstanceRecord record) {
        synchronized (record) {
            cancelRestart(record);
        }
    }

    private ExitListener listener(InstanceRecord record) {
        return (handle, status) -> exits.execute(() -> exited(record, handle, status));
    }

    private void exited(InstanceRecord record, RuntimeHandle handle, ExitStatus status) {
        synchronized (record) {
            if (!handle.equals(record.handle)) {
                return;
            }
            repository.closeLogs(record.directory);
            Instance instance = record.instance;
            boolean asked = instance.state() == InstanceState.STOPPING;
            String because = record.endedBecause;
            record.endedBecause = null;
            boolean relaunch = record.relaunch && !asked;
            record.relaunch = false;
            InstanceState state = asked || relaunch || (status.isSuccess() && because == null)
                    ? InstanceState.STOPPED : InstanceState.CRASHED;
            Instance ended = change(record, null, with(instance, state, null, instance.restarts(), status,
                    instance.startedAt(), Instant.now(), asked ? null : because));
            record.ended.complete(ended);
            if (relaunch) {
                relaunch(record);
            } else if (!asked) {
                afterEnd(record, status, because != null);
            }
        }
    }

    /**
     * The health checks of a running instance failed: when its restart policy asks for
     * {@code on_unhealthy}, its process is stopped and started again after the backoff, as after a
     * crash. Returns at once.
     */
    void unhealthy(InstanceRecord record) {
        synchronized (record) {
            Instance instance = record.instance;
            if (instance.state() != InstanceState.RUNNING || record.endedBecause != null
                    || !instance.spec().restart().onUnhealthy()) {
                return;
            }
            record.endedBecause = "stopped: its health checks failed";
            runtimes.get(instance.runtime()).stop(record.handle, instance.spec().stop());
        }
    }

    /**
     * Ends the process of a running instance and starts it again as soon as it ended (with the spec it
     * has then), unless it is stopped meanwhile; returns at once. Nothing happens to an instance that
     * does not run, or whose process is already being ended to restart.
     *
     * @return whether its process is being ended
     */
    boolean restartInPlace(InstanceRecord record, String why) {
        synchronized (record) {
            Instance instance = record.instance;
            if (instance.state() != InstanceState.RUNNING || record.endedBecause != null || record.removed) {
                return false;
            }
            record.endedBecause = why;
            record.relaunch = true;
            runtimes.get(instance.runtime()).stop(record.handle, instance.spec().stop());
            return true;
        }
    }

    private void relaunch(InstanceRecord record) {
        try {
            launch(record, true);
        } catch (SpewException e) {
            LOG.log(System.Logger.Level.WARNING, "restart of " + record.instance.name() + " failed: " + e.getMessage());
        }
    }

    /**
     * Applies the restart policy to a process that ended without being asked to: plans its restart
     * after the backoff, or marks the instance {@code failed} when a restart cannot help or the limit is
     * reached. Callers hold the record's lock.
     */
    private void afterEnd(InstanceRecord record, ExitStatus status, boolean unhealthy) {
        Instance instance = record.instance;
        RestartPolicy policy = instance.spec().restart();
        if (!policy.restartsAfter(status) && !(unhealthy && policy.onUnhealthy())) {
            return;
        }
        Instant now = Instant.now();
        if (status.code() != null && (status.code() == COMMAND_NOT_EXECUTABLE || status.code() == COMMAND_NOT_FOUND)) {
            change(record, null, with(instance, InstanceState.FAILED, null, instance.restarts(), status,
                    instance.startedAt(), instance.finishedAt(), status + ": the command could not be run, and a restart"
                            + " cannot help: fix the appliance's command"));
            return;
        }
        RestartHistory history = RestartHistory.ranLongEnough(policy, instance.startedAt(), now)
                ? record.restarts.reset() : record.restarts;
        List<Instant> recent = history.within(policy, now);
        if (policy.limit() > 0 && recent.size() >= policy.limit()) {
            record.restarts = history.planned(history.attempt(), recent, null);
            change(record, null, with(instance, InstanceState.FAILED, null, instance.restarts(), status,
                    instance.startedAt(), instance.finishedAt(), "gave up: " + recent.size() + " restarts within "
                            + describe(policy.within()) + ", last end: " + status + "; start it again with 'spew start "
                            + instance.name() + "'"));
            return;
        }
        int attempt = history.attempt() + 1;
        Duration delay = jittered(policy, policy.delay(attempt));
        record.restarts = history.planned(attempt, recent, now.plus(delay));
        change(record, null, with(instance, InstanceState.RESTARTING, null, instance.restarts(), status,
                instance.startedAt(), instance.finishedAt(), "restart " + attempt + " in " + describe(delay) + " after "
                        + (unhealthy ? "failing its health checks" : status.toString())));
        schedule(record, delay);
    }

    /** Up to 20% either way, so that instances that crashed together do not restart together; never past max. */
    private static Duration jittered(RestartPolicy policy, Duration delay) {
        double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        long millis = Math.min(Math.round(delay.toMillis() * factor), policy.max().toMillis());
        return Duration.ofMillis(millis);
    }

    private void schedule(InstanceRecord record, Duration delay) {
        Instant due = record.restarts.next();
        long millis = Math.max(0, delay.toMillis());
        record.pendingRestart = scheduler.schedule(() -> exits.execute(() -> restartNow(record, due)),
                millis, TimeUnit.MILLISECONDS);
    }

    private void restartNow(InstanceRecord record, Instant due) {
        synchronized (record) {
            if (record.instance.state() != InstanceState.RESTARTING || !Objects.equals(due, record.restarts.next())) {
                return;
            }
            record.pendingRestart = null;
            record.restarts = record.restarts.happened(Instant.now(), record.instance.spec().restart());
            try {
                launch(record, true);
            } catch (SpewException e) {
                LOG.log(System.Logger.Level.WARNING, "restart of " + record.instance.name() + " failed: " + e.getMessage());
            }
        }
    }

    private static void cancelRestart(InstanceRecord record) {
        if (record.pendingRestart != null) {
            record.pendingRestart.cancel(false);
            record.pendingRestart = null;
        }
        if (record.restarts.next() != null) {
            record.restarts = record.restarts.planned(record.restarts.attempt(), record.restarts.recent(), null);
        }
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : duration.toSeconds() + " s";
    }

    private Instance await(InstanceRecord record, CompletableFuture<Instance> ended, Duration timeout) {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SpewException(ErrorCode.INTERNAL, "instance " + record.instance.name()
                    + " did not stop within " + timeout.toSeconds() + " s, even after SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.INTERNAL, "interrupted while stopping " + record.instance.name());
        } catch (ExecutionException e) {
            throw new SpewException(ErrorCode.INTERNAL, "stopping " + record.instance.name() + " failed: " + e.getCause());
        }
    }

    private LaunchRequest launchRequest(InstanceRecord record) {
        return new LaunchRequest(record.instance.id().value(), record.instance.spec(), record.directory,
                repository.pipe(record.directory, LogStream.STDOUT), repository.pipe(record.directory, LogStream.STDERR));
    }

    private String watchHealth(InstanceRecord record, Instance running, RuntimeHandle handle) {
        return health.watch(running, handle, (verdict, reason) -> healthChanged(record, handle, verdict, reason));
    }

    /** A new verdict of the health checks of the process of {@code handle}; stale ones are dropped. */
    void healthChanged(InstanceRecord record, RuntimeHandle handle, String verdict, String reason) {
        synchronized (record) {
            if (!handle.equals(record.handle) || record.instance.state() != InstanceState.RUNNING) {
                return;
            }
            change(record, handle, withHealth(record.instance, verdict, reason));
        }
        if (verdict.equals(HealthCheck.UNHEALTHY)) {
            unhealthy(record);
        }
    }

    /** Persists the new state, then announces it. Callers hold the record's lock. */
    Instance change(InstanceRecord record, RuntimeHandle handle, Instance next) {
        if (next.state() != InstanceState.RUNNING) {
            health.unwatch(next.id());
        }
        repository.save(record.directory, new StoredInstance(next, handle, record.restarts));
        Instance previous = record.instance;
        record.instance = next;
        record.handle = handle;
        events.changed(previous, next);
        return next;
    }

    private static Long pidOf(RuntimeHandle handle) {
        return handle.pid() == 0 ? null : handle.pid();
    }

    /** The instance in another state; one that no longer runs has no health. */
    private static Instance with(Instance instance, InstanceState state, Long pid, int restarts, ExitStatus exitStatus,
            Instant startedAt, Instant finishedAt, String message) {
        String health = state.isActive() ? instance.health() : HealthCheck.NONE;
        return new Instance(instance.id(), instance.spec(), instance.host(), state, health, pid, restarts,
                exitStatus, instance.createdAt(), startedAt, finishedAt, message);
    }

    private static Instance withHealth(Instance instance, String health, String message) {
        return new Instance(instance.id(), instance.spec(), instance.host(), instance.state(), health, instance.pid(),
                instance.restarts(), instance.exitStatus(), instance.createdAt(), instance.startedAt(),
                instance.finishedAt(), message);
    }
}
