package io.spew.daemon;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.Instances;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** Stops every instance that may run, a few at a time, for {@code daemon stop --stop-instances}. */
final class InstanceStopper {
    private static final System.Logger LOG = System.getLogger(InstanceStopper.class.getName());
    private static final int PARALLEL = 8;

    private final Instances instances;
    private final String hostId;

    /** @param hostId this host: the instances of other hosts (in a cluster) are theirs to stop */
    InstanceStopper(Instances instances, String hostId) {
        this.instances = requireNonNull(instances, "instances is null");
        this.hostId = requireNonNull(hostId, "hostId is null");
    }

    /** Stops them all and returns when each has stopped or failed to; failures are logged. */
    void stopAll() {
        List<Instance> running = instances.list().stream()
                .filter(instance -> instance.host().equals(hostId))
                .filter(instance -> instance.state().isActive() || instance.state() == InstanceState.RESTARTING)
                .collect(Collectors.toList());
        if (running.isEmpty()) {
            return;
        }
        LOG.log(Level.INFO, "stopping " + running.size() + " instances before the daemon exits");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, running.size()));
        try {
            List<Future<?>> stops = running.stream()
                    .map(instance -> pool.submit(() -> stop(instance)))
                    .collect(Collectors.toList());
            for (Future<?> stop : stops) {
                stop.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.WARNING, "stopping instances failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void stop(Instance instance) {
        try {
            instances.stop(instance.id().value());
        } catch (SpewException e) {
            LOG.log(Level.WARNING, "cannot stop " + instance.name() + ": " + e.userMessage());
        }
    }
}
