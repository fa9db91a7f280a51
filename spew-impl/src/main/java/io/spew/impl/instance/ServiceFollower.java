package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.appliance.ChangePolicy;
import io.spew.appliance.UpdatePolicy;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.appliance.Durations;
import io.spew.impl.lifecycle.EngineSettings;
import io.spew.impl.service.ReportedInstances;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps the instances that use services on the catalog's addresses: once the catalog has been quiet
 * for a while (network setting {@value #WAIT_SETTING}, default 1 s; at most ten times that after the
 * first change, so that a flapping check delays it but cannot starve it), each instance whose
 * services' healthy addresses differ from those it was rendered with is rendered again (values and
 * template files) and then restarted, signalled or left alone by its appliance's {@code on_change},
 * one instance at a time: a restarted one must be healthy (its appliance's {@code update:}
 * {@code min_healthy_time} within {@code healthy_deadline}) before the next is looked at, against the
 * catalog as it is then. Runs on one thread of its own, which goes when idle; nothing is done while no
 * instance uses a service.
 */
@Singleton
public final class ServiceFollower implements AutoCloseable {
    /** The network setting that sets how long the catalog must be quiet before instances follow it. */
    public static final String WAIT_SETTING = "service-change-wait";
    private static final System.Logger LOG = System.getLogger(ServiceFollower.class.getName());
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);
    private static final int LONGEST_WAITS = 10;

    private final ServiceAddresses services;
    private final ReportedInstances reported;
    private final ApplianceStore appliances;
    private final SpecResolver resolver;
    private final InstanceSupervisor supervisor;
    private final InstanceEvents events;
    private final ScheduledExecutorService scheduler;
    private final Duration wait;
    private final Map<InstanceId, Followed> followed = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor worker;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Object timing = new Object();
    /** Guarded by {@code timing}: the pass planned, and when the first change it waits for came. */
    private ScheduledFuture<?> due;
    private long firstChange;
    private volatile Supplier<List<Instance>> instances;
    private volatile Registration registration;
    private volatile Registration reports;
    private volatile boolean closed;

    private record Followed(InstanceRecord record, ServiceUse use) {}

    @Inject
    public ServiceFollower(ServiceAddresses services, ReportedInstances reported, ApplianceStore appliances,
            SpecResolver resolver, InstanceSupervisor supervisor, InstanceEvents events,
            ScheduledExecutorService scheduler, EngineSettings settings) {
        this.services = requireNonNull(services, "services is null");
        this.reported = requireNonNull(reported, "reported is null");
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.events = requireNonNull(events, "events is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        String waitSetting = settings.networkConfig().get(WAIT_SETTING);
        try {
            this.wait = waitSetting == null ? DEFAULT_WAIT : Durations.parse(waitSetting);
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "network setting " + WAIT_SETTING + ": "
                    + e.getMessage());
        }
        this.worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "spew-service-follower");
            thread.setDaemon(true);
            return thread;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts following the catalog, once this host's instances are loaded: when one of them changes or
     * another host reports its instances; looks at them once at once.
     */
    void start(Supplier<List<Instance>> instances) {
        this.instances = requireNonNull(instances, "instances is null");
        registration = events.register(instance -> changed());
        reports = reported.onChange(this::changed);
        changed();
    }

    /** Follows the services an instance uses. */
    void follow(InstanceRecord record, ServiceUse use) {
        followed.put(record.instance.id(), new Followed(record, use));
    }

    /** Stops following an instance that is being removed. */
    void forget(InstanceId id) {
        followed.remove(id);
    }

    /** Some instance changed: plans a pass once things are quiet (called under that instance's lock). */
    private void changed() {
        if (followed.isEmpty() || closed || instances == null) {
            return;
        }
        synchronized (timing) {
            long now = System.nanoTime();
            if (due == null) {
                firstChange = now;
            } else {
                due.cancel(false);
            }
            long delay = Math.max(0, Math.min(wait.toNanos(), firstChange + LONGEST_WAITS * wait.toNanos() - now));
            due = scheduler.schedule(this::queuePass, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void queuePass() {
        synchronized (timing) {
            due = null;
        }
        if (!closed && passQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                passQueued.set(false);
                pass();
            });
        }
    }

    /** Looks at each followed instance in name order against the catalog as it is when its turn comes. */
    private void pass() {
        List<Followed> all = followed.values().stream()
                .sorted(Comparator.comparing((Followed each) -> each.record().instance.name())).toList();
        Map<String, String> catalog = null;
        for (Followed each : all) {
            if (closed || Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                if (catalog == null) {
                    catalog = services.addresses(instances);
                }
                if (follow(each, catalog)) {
                    catalog = null; // something was done: look again, the catalog may have moved on
                }
            } catch (NotHealthyException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + ": the others wait for the next change");
                return;
            } catch (SpewException | IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot render " + each.record().instance.name()
                        + " with the new service addresses: " + e.getMessage());
            }
        }
    }

    /** Renders an instance again and acts on it when its services moved; whether it did. */
    private boolean follow(Followed each, Map<String, String> catalog) {
        InstanceRecord record = each.record();
        ServiceUse use = each.use();
        Map<String, String> now = use.valuesIn(byVariable(catalog));
        Map<String, String> had;
        synchronized (record) {
            had = use.valuesIn(record.instance.spec().env());
        }
        if (had.equals(now)) {
            return false;
        }
        Instance updated = supervisor.respec(record, current -> resolver.rerender(current, use, catalog,
                record.directory.resolve(SpecResolver.FILES), RenderTarget.of(record, current)));
        if (updated == null) {
            return false;
        }
        Set<String> moved = now.keySet().stream().filter(variable -> !now.get(variable).equals(had.get(variable)))
                .collect(Collectors.toCollection(TreeSet::new));
        String done = updated.state() == InstanceState.RUNNING ? act(record, updated, use, moved) : "not running";
        LOG.log(System.Logger.Level.INFO, "{0}: rendered again for {1} ({2})", updated.name(), moved, done);
        return true;
    }

    /** Applies the appliance's {@code on_change} to a running instance; says what was done. */
    private String act(InstanceRecord record, Instance updated, ServiceUse use, Set<String> moved) {
        ChangePolicy policy = policyOf(use);
        Set<String> own = use.appliance().services().stream().map(service -> ServiceAddresses.variable(service.name()))
                .collect(Collectors.toSet());
        switch (policy.action()) {
            case SIGNAL -> {
                supervisor.kill(record, policy.signal());
                return "sent " + policy.signal().name();
            }
            case RESTART -> {
                if (own.containsAll(moved)) {
                    return "its peers moved: not restarted";
                }
                int before = updated.restarts();
                if (!supervisor.restartInPlace(record, "restarted: the addresses of " + String.join(", ", moved)
                        + " changed")) {
                    return "not restarted: it is ending";
                }
                awaitHealthy(record, use, before);
                return "restarted";
            }
            default -> {
                return "on_change: none";
            }
        }
    }

    /** The {@code on_change} of the instance's appliance as applied now, else as it was made. */
    private ChangePolicy policyOf(ServiceUse use) {
        try {
            return appliances.resolve(use.appliance().name()).onChange();
        } catch (SpewException e) {
            return use.appliance().onChange();
        }
    }

    /** Waits until the instance runs again (more than {@code before} restarts) and is healthy for long enough. */
    private void awaitHealthy(InstanceRecord record, ServiceUse use, int before) {
        UpdatePolicy update = use.appliance().update();
        long start = System.nanoTime();
        Long healthySince = null;
        while (!closed) {
            Instance instance;
            boolean removed;
            synchronized (record) {
                instance = record.instance;
                removed = record.removed;
            }
            long now = System.nanoTime();
            if (removed || !instance.state().isActive()) {
                return; // stopped or removed meanwhile: nothing to wait for
            }
            boolean healthy = instance.restarts() > before && services.healthy(instance);
            healthySince = healthy ? (healthySince == null ? now : healthySince) : null;
            if (healthySince != null && now - healthySince >= update.minHealthyTime().toNanos()) {
                return;
            }
            if (now - start > update.healthyDeadline().toNanos()) {
                throw new NotHealthyException(instance.name() + " was restarted for its new service addresses and"
                        + " is not healthy within " + update.healthyDeadline().toSeconds() + " s (update.healthy_deadline)");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Map<String, String> byVariable(Map<String, String> catalog) {
        Map<String, String> values = new TreeMap<>();
        catalog.forEach((service, addresses) -> values.put(ServiceAddresses.variable(service), addresses));
        return values;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (timing) {
            if (due != null) {
                due.cancel(false);
            }
        }
        if (registration != null) {
            registration.close();
        }
        if (reports != null) {
            reports.close();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A restarted instance that did not become healthy: the pass stops there. */
    private static final class NotHealthyException extends RuntimeException {
        NotHealthyException(String message) {
            super(message);
        }
    }
}
