package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.Signal;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the lifecycle of instances: start, stop, kill, the end of a process, and the adoption of
 * processes a previous engine started. Each change is persisted before it is announced. Ends of
 * processes arrive from the runtimes and are handled on one executor, never a thread per instance.
 */
@Singleton
public final class InstanceSupervisor {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final RuntimeRegistry runtimes;
    private final InstanceRepository repository;
    private final InstanceEvents events;
    private final Executor exits;

    @Inject
    public InstanceSupervisor(RuntimeRegistry runtimes, InstanceRepository repository, InstanceEvents events,
            @Named("exits") Executor exits) {
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.events = requireNonNull(events, "events is null");
        this.exits = requireNonNull(exits, "exits is null");
    }

    Instance start(InstanceRecord record, boolean restart) {
        synchronized (record) {
            Instance instance = record.instance;
            if (instance.state().isActive()) {
                return instance;
            }
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
            return change(record, handle, with(instance, InstanceState.RUNNING, pidOf(handle), restarts, null,
                    Instant.now(), null, null));
        }
    }

    Instance stop(InstanceRecord record) {
        CompletableFuture<Instance> ended;
        Duration timeout;
        synchronized (record) {
            Instance instance = record.instance;
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

    /** Takes over the process of a stored instance, or records that it ended while nobody watched. */
    void adopt(InstanceRecord record) {
        synchronized (record) {
            Instance instance = record.instance;
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
                }
                return;
            }
            InstanceState state = instance.state() == InstanceState.STOPPING ? InstanceState.STOPPED : InstanceState.CRASHED;
            change(record, null, with(instance, state, null, instance.restarts(), ExitStatus.unknown(),
                    instance.startedAt(), Instant.now(), why));
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
            boolean stopping = instance.state() == InstanceState.STOPPING;
            InstanceState state = stopping || status.isSuccess() ? InstanceState.STOPPED : InstanceState.CRASHED;
            Instance ended = change(record, null, with(instance, state, null, instance.restarts(), status,
                    instance.startedAt(), Instant.now(), null));
            record.ended.complete(ended);
        }
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

    /** Persists the new state, then announces it. Callers hold the record's lock. */
    Instance change(InstanceRecord record, RuntimeHandle handle, Instance next) {
        repository.save(record.directory, new StoredInstance(next, handle));
        record.instance = next;
        record.handle = handle;
        events.changed(next);
        return next;
    }

    private static Long pidOf(RuntimeHandle handle) {
        return handle.pid() == 0 ? null : handle.pid();
    }

    private static Instance with(Instance instance, InstanceState state, Long pid, int restarts, ExitStatus exitStatus,
            Instant startedAt, Instant finishedAt, String message) {
        return new Instance(instance.id(), instance.spec(), instance.host(), state, instance.health(), pid, restarts,
                exitStatus, instance.createdAt(), startedAt, finishedAt, message);
    }
}
