package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.impl.host.HostFacts;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.RuntimeHandle;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Checks the running instances whose appliances have health checks. No thread per instance: probes
 * are timed by the engine's scheduler, connect without blocking (TCP on one channel group, HTTP on
 * one shared client), exec checks are processes watched by the host's event loop, and every verdict
 * is judged on one thread of the monitor, which also tells the listeners.
 */
@Singleton
public final class HealthMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());

    private final ServiceAddresses services;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(daemonThreads("spew-health"));
    private final Probes probes;
    private final Map<InstanceId, InstanceHealth> watched = new ConcurrentHashMap<>();

    @Inject
    public HealthMonitor(ServiceAddresses services, HostFacts host, RuntimeRegistry runtimes, HostProcesses processes,
            ScheduledExecutorService scheduler) {
        this.services = requireNonNull(services, "services is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.probes = new Probes(host, runtimes, processes, scheduler, executor);
    }

    /**
     * Starts checking a running instance (again: what watched it before stops), and returns its health
     * now: {@code none} when its appliance has no check (nothing is watched), else the verdict it had
     * when it was healthy or unhealthy (an adopted instance), else {@code starting}. Failures count once
     * the start grace after {@link Instance#startedAt()} has passed.
     */
    public String watch(Instance instance, RuntimeHandle handle, HealthListener listener) {
        unwatch(instance.id());
        List<ServiceDefinition> checked;
        try {
            checked = services.checkedServices(instance);
        } catch (SpewException e) {
            LOG.log(System.Logger.Level.WARNING, "instance " + instance.name() + " is not checked: " + e.getMessage());
            return HealthCheck.NONE;
        }
        if (checked.isEmpty()) {
            return HealthCheck.NONE;
        }
        String health = instance.health().equals(HealthCheck.HEALTHY) || instance.health().equals(HealthCheck.UNHEALTHY)
                ? instance.health() : HealthCheck.STARTING;
        Instant started = instance.startedAt() == null ? Instant.now() : instance.startedAt();
        InstanceHealth instanceHealth = new InstanceHealth(health, listener);
        try {
            for (ServiceDefinition service : checked) {
                instanceHealth.add(new CheckLoop(service.name(), service.check(), probes.of(instance, handle, service),
                        started.plus(service.check().startGrace()), health, scheduler, executor,
                        instanceHealth::checkChanged));
            }
        } catch (SpewException e) {
            LOG.log(System.Logger.Level.WARNING, "instance " + instance.name() + " is not checked: " + e.getMessage());
            return HealthCheck.NONE;
        }
        watched.put(instance.id(), instanceHealth);
        instanceHealth.start();
        return health;
    }

    /** Stops checking an instance; nothing if it was not checked. */
    public void unwatch(InstanceId id) {
        InstanceHealth instanceHealth = watched.remove(id);
        if (instanceHealth != null) {
            instanceHealth.stop();
        }
    }

    @Override
    public void close() throws IOException {
        watched.values().forEach(InstanceHealth::stop);
        watched.clear();
        executor.shutdownNow();
        probes.close();
    }

    static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
