package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.build.BuildId;
import io.spew.build.Builds;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.Environments;
import io.spew.environment.Plan;
import io.spew.environment.PlanStep;
import io.spew.environment.RollProgress;
import io.spew.environment.StartOptions;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.cluster.ClusterInstances;
import io.spew.impl.cluster.Placement;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.impl.environment.Convergence.Work;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ReplicatedState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The environments of a cluster: {@code start} and {@code stop} check the file here, then write it to the
 * cluster's replicated state (a majority must take it) and wait until the hosts it is placed on report its
 * instances running (or stopped); the leader's {@link EnvironmentPlacer} places them and each host's
 * {@link PlacedConvergence} converges its share. {@code plan} and {@code list} read the cluster; so do versions,
 * rollbacks, promotions and rolling restarts, which every host holding instances of the appliance applies to its
 * own ({@link ClusterRollouts}).
 */
@Singleton
public final class ClusterEnvironments implements Environments {
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;

    private final LocalEnvironments local;
    private final ApplianceStore appliances;
    private final DesiredStates states;
    private final ClusterTransport transport;
    private final ClusterInstances instances;
    private final Builds builds;
    private final ClusterRollouts rollouts;

    @Inject
    ClusterEnvironments(LocalEnvironments local, ApplianceStore appliances, DesiredStates states,
            ClusterTransport transport, ClusterInstances instances, Builds builds) {
        this.builds = requireNonNull(builds, "builds is null");
        this.local = requireNonNull(local, "local is null");
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.states = requireNonNull(states, "states is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.rollouts = new ClusterRollouts(transport, local);
    }

    @Override
    public Plan plan(EnvironmentFiles files, String environment) {
        EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
        return plan(target, Convergence.of(target.desired(), target.dropped(), instances.list(),
                target.fingerprints()));
    }

    @Override
    public Plan start(EnvironmentFiles files, String environment, StartOptions options) {
        EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
        Steps steps = Convergence.of(target.desired(), target.dropped(), instances.list(), target.fingerprints());
        List<Placement.Demand> demands = new ArrayList<>();
        for (String appliance : target.desired().order()) {
            demands.add(new Placement.Demand(appliance, target.desired().counts().get(appliance),
                    target.resolved().get(appliance).runtime(), target.resolved().get(appliance).constraints()));
        }
        Optional<SharedEnvironment> stored = stored(files.file());
        SharedEnvironment shared = new SharedEnvironment(files, environment, demands, target.desired().requires(),
                Instant.now(), options.user(), false, false, buildsOf(target),
                rollouts.versionsAfterStart(target, stored, options.user()));
        state().put(SharedEnvironment.PREFIX + files.file(), shared.encode(), WRITE_TIMEOUT);
        awaitRunning(shared, options);
        return plan(target, steps);
    }

    /**
     * The build of each appliance as this host resolves it, for the hosts that lack it to fetch by id; an
     * appliance whose build is named per instance ({@code ${...}}) or is not here is left out.
     */
    private Map<String, BuildId> buildsOf(EnvironmentTarget target) {
        Map<String, BuildId> ids = new TreeMap<>();
        for (String appliance : target.desired().order()) {
            String ref = target.resolved().get(appliance).build();
            if (ref != null && !ref.contains("${")) {
                try {
                    ids.put(appliance, builds.get(ref).id());
                } catch (SpewException e) {
                    // not here either: the hosts it is placed on resolve it as they can
                }
            }
        }
        return ids;
    }

    @Override
    public Plan stop(EnvironmentFiles files, String environment, boolean remove) {
        Optional<SharedEnvironment> stored = stored(files.file());
        SharedEnvironment shared;
        if (files.contents().get(files.file()).isBlank() && stored.isPresent()) {
            shared = stored.get(); // the file is gone: stop what was started from it
        } else {
            EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
            List<Placement.Demand> demands = new ArrayList<>();
            for (String appliance : target.desired().order()) {
                demands.add(new Placement.Demand(appliance, target.desired().counts().get(appliance), null, null));
            }
            for (String dropped : target.dropped()) {
                demands.add(0, new Placement.Demand(dropped, 0, null, null));
            }
            shared = stored.filter(before -> !before.stopped()).orElse(new SharedEnvironment(files, environment,
                    demands, target.desired().requires(), Instant.now(), null, false, false, Map.of(),
                    stored.map(SharedEnvironment::versions).orElse(Map.of())));
        }
        List<String> order = shared.demands().stream().map(Placement.Demand::appliance).toList();
        List<Work> works = Convergence.stopping(order, instances.list(), remove);
        state().put(SharedEnvironment.PREFIX + files.file(), shared.stoppedBy(System.getProperty("user.name"), remove)
                .encode(), WRITE_TIMEOUT);
        awaitStopped(order, remove, StartOptions.DEFAULT_TIMEOUT);
        List<PlanStep> steps = new ArrayList<>();
        works.forEach(work -> steps.addAll(work.steps()));
        return new Plan(files.file(), shared.desired().environment(), Map.of(), steps);
    }

    @Override
    public List<DesiredEnvironment> list() {
        return SharedEnvironment.all(state().snapshot()).values().stream().filter(shared -> !shared.stopped())
                .map(SharedEnvironment::desired).toList();
    }

    @Override
    public List<ApplianceVersion> history(String appliance) {
        return rollouts.history(appliance).orElseGet(() -> local.history(appliance));
    }

    @Override
    public List<ApplianceVersion> rollback(String appliance, Integer version, StartOptions options) {
        return rollouts.rollback(appliance, version, options);
    }

    @Override
    public List<ApplianceVersion> promote(String appliance, StartOptions options) {
        return rollouts.promote(appliance);
    }

    @Override
    public void restart(String appliance) {
        if (!rollouts.restart(appliance)) {
            local.restart(appliance); // started before the cluster kept versions: this host's instances
        }
    }

    @Override
    public Registration onRollProgress(Consumer<RollProgress> listener) {
        return local.onRollProgress(listener);
    }

    private Optional<SharedEnvironment> stored(String file) {
        return state().get(SharedEnvironment.PREFIX + file).map(SharedEnvironment::decode);
    }

    private ReplicatedState state() {
        return transport.replicatedState();
    }

    /** Waits until every instance is placed and its host reports it running (and healthy, when asked). */
    private void awaitRunning(SharedEnvironment shared, StartOptions options) {
        long deadline = System.nanoTime() + options.requiresTimeout().toNanos();
        List<String> waiting = shared.instanceNames();
        while (true) {
            Optional<Placement.Result> placement = SharedEnvironment.placement(state().snapshot(), shared.file());
            Map<String, Instance> running = new java.util.HashMap<>();
            for (Instance instance : instances.list()) {
                if (instance.state().isActive() && placement.map(p -> instance.host().equals(
                        p.placements().get(instance.name()))).orElse(false)
                        && (!options.waitHealthy() || !instance.health().equals("starting")
                        && !instance.health().equals("unhealthy"))) {
                    running.put(instance.name(), instance);
                }
            }
            List<String> missing = waiting.stream().filter(name -> !running.containsKey(name)).toList();
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw notRunning(missing, placement, options.requiresTimeout());
            }
            pause();
        }
    }

    private static SpewException notRunning(List<String> missing, Optional<Placement.Result> placement,
            Duration timeout) {
        List<String> why = new ArrayList<>();
        for (String name : missing) {
            String unplaced = placement.map(p -> p.unplaced().get(name)).orElse(null);
            String host = placement.map(p -> p.placements().get(name)).orElse(null);
            why.add(name + (unplaced != null ? " (not placed: " + unplaced + ")"
                    : host == null ? " (not placed yet: is there a leader?)" : " (placed on host " + host + ")"));
        }
        return new SpewException(ErrorCode.START_FAILED, String.join(", ", why) + (missing.size() == 1 ? " was" : " were")
                + " not running within " + timeout.toMillis() / 1000.0 + " s; the cluster keeps the environment and"
                + " places them as hosts come");
    }

    private void awaitStopped(List<String> appliances, boolean remove, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> left = new ArrayList<>();
            for (String appliance : appliances) {
                Convergence.members(appliance, instances.list()).values().stream()
                        .filter(instance -> instance.state() != InstanceState.LOST
                                && (remove || instance.state().isActive()))
                        .forEach(instance -> left.add(instance.name() + " on host " + instance.host()));
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, String.join(", ", left) + " did not stop within "
                        + timeout.toMillis() / 1000.0 + " s; the cluster keeps the environment stopped");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.INTERNAL, "interrupted while waiting for the cluster");
        }
    }

    private static Plan plan(EnvironmentTarget target, Steps steps) {
        List<PlanStep> all = new ArrayList<>(target.applySteps());
        all.addAll(steps.all());
        return new Plan(target.desired().file(), target.desired().environment(), target.desired().counts(), all);
    }
}
