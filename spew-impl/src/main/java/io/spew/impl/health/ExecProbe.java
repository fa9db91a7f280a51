package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.instance.Signal;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Passes when a command exits with 0. The runtime says what to spawn (inside a container, for
 * one); the process leads a session of its own, and its whole group is killed at the timeout.
 */
final class ExecProbe implements Probe {
    private final HostProcesses processes;
    private final ScheduledExecutorService scheduler;
    private final Supplier<SpawnRequest> request;
    private final String command;
    private final Duration timeout;

    ExecProbe(HostProcesses processes, ScheduledExecutorService scheduler, Supplier<SpawnRequest> request,
            String command, Duration timeout) {
        this.processes = requireNonNull(processes, "processes is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.request = requireNonNull(request, "request is null");
        this.command = requireNonNull(command, "command is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public CompletableFuture<String> run() {
        SpawnedProcess process;
        try {
            process = processes.spawn(request.get());
        } catch (SpewException e) {
            return CompletableFuture.completedFuture(e.getMessage());
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        String killed = "'" + command + "' did not end within " + timeout.toMillis() + " ms: killed";
        AtomicBoolean timedOut = new AtomicBoolean();
        var timer = scheduler.schedule(() -> {
            if (!result.isDone() && timedOut.compareAndSet(false, true)) {
                processes.signalGroup(process.pid(), Signal.SIGKILL); // killed before the verdict is told
                result.complete(killed);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        processes.watch(process.pid(), status -> {
            timer.cancel(false);
            // what the check left in its group goes with it
            processes.signalGroup(process.pid(), Signal.SIGKILL);
            result.complete(timedOut.get() ? killed : status.isSuccess() ? null : "'" + command + "' ended with " + status);
        });
        return result;
    }
}
