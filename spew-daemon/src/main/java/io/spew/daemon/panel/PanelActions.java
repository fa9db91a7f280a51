package io.spew.daemon.panel;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.Environments;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.Instances;
import io.spew.instance.Signal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** What the panel's buttons do: one instance at a time, or many, through the public API. */
final class PanelActions {
    /** How long a rolling restart waits for one instance to run again before it gives up. */
    static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(30);

    private final Instances instances;
    private final Environments environments;

    PanelActions(Instances instances, Environments environments) {
        this.instances = requireNonNull(instances, "instances is null");
        this.environments = requireNonNull(environments, "environments is null");
    }

    Instance act(String ref, String action) {
        switch (action) {
            case "restart":
                return instances.restart(ref);
            case "stop":
                return instances.stop(ref);
            case "start":
                return instances.start(ref);
            case "kill":
                return instances.kill(ref, Signal.SIGKILL);
            default:
                throw new SpewException(ErrorCode.NOT_FOUND, "no panel action '" + action
                        + "': use restart, stop, start or kill");
        }
    }

    /**
     * Restarts every instance of {@code appliance} as {@code spew restart APPLIANCE} does: for an appliance of
     * an environment, a roll (its {@code update} policy; its progress in the event stream and on the panel);
     * else one at a time, each once the one before runs again.
     */
    void restartAll(String appliance) {
        try {
            environments.restart(appliance);
            return;
        } catch (SpewException e) {
            if (e.code() != ErrorCode.APPLIANCE_NOT_FOUND) {
                throw e;
            }
        }
        List<Instance> chosen = instances.list().stream()
                .filter(instance -> instance.spec().appliance().equals(appliance))
                .sorted(Comparator.comparing(instance -> instance.spec().name()))
                .collect(Collectors.toList());
        if (chosen.isEmpty()) {
            throw new SpewException(ErrorCode.NOT_FOUND, "appliance '" + appliance + "' has no instances to restart");
        }
        for (Instance instance : chosen) {
            instances.restart(instance.id().value());
            awaitRunning(instance.id().value());
        }
    }

    /** Starts again every instance that crashed or failed; returns how many. */
    int restartFailed() {
        int count = 0;
        for (Instance instance : instances.list()) {
            if (instance.state() == InstanceState.CRASHED || instance.state() == InstanceState.FAILED) {
                instances.start(instance.id().value());
                count++;
            }
        }
        return count;
    }

    private void awaitRunning(String id) {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            InstanceState state = instances.get(id).state();
            if (state == InstanceState.RUNNING) {
                return;
            }
            if (!state.isActive() && state != InstanceState.RESTARTING && state != InstanceState.CREATED) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "instance " + id + " is " + state
                        + " after its restart: the rolling restart stopped there; see its log");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpewException(ErrorCode.INTERNAL, "interrupted while restarting " + id);
            }
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT, "instance " + id + " did not run again within "
                + RUNNING_TIMEOUT.toSeconds() + "s: the rolling restart stopped there");
    }
}
