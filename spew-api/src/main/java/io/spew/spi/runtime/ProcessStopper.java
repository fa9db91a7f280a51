package io.spew.spi.runtime;

import static java.util.Objects.requireNonNull;

import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops processes the way every process runtime does: the policy's signal, then SIGKILL once the
 * timeout has passed unless the process ended first. Signals go to the whole process group when the
 * process leads one, so the children of an instance stop with it; and when the instance has a cgroup,
 * the SIGKILL goes to every process in it ({@link HostProcesses#killAll}), so that not even a process
 * that left the group with {@code setsid} survives the timeout.
 */
public final class ProcessStopper {
    private final RuntimeContext context;
    private final Map<Long, ScheduledFuture<?>> pendingKills = new ConcurrentHashMap<>();

    public ProcessStopper(RuntimeContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    /** Sends the stop signal now and schedules SIGKILL after the timeout. */
    public void stop(long pid, boolean group, StopPolicy policy) {
        stop(pid, group, null, policy);
    }

    /**
     * Sends the stop signal to the process (or its group) now and, after the timeout, SIGKILL to it
     * and to everything in {@code cgroup} (null for none).
     */
    public void stop(long pid, boolean group, String cgroup, StopPolicy policy) {
        ScheduledFuture<?> kill = context.scheduler().schedule(() -> {
            signal(pid, group, Signal.SIGKILL);
            if (cgroup != null) {
                context.processes().killAll(cgroup);
            }
        }, policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pendingKills.put(pid, kill);
        if (previous != null) {
            previous.cancel(false);
        }
        signal(pid, group, policy.signal());
    }

    /** Sends a signal to the process, or to its group. */
    public boolean signal(long pid, boolean group, Signal signal) {
        return group ? context.processes().signalGroup(pid, signal) : context.processes().signal(pid, signal);
    }

    /** Called when the process has ended: cancels a pending SIGKILL. */
    public void ended(long pid) {
        ScheduledFuture<?> kill = pendingKills.remove(pid);
        if (kill != null) {
            kill.cancel(false);
        }
    }
}
