package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.Environments;
import io.spew.environment.Plan;
import io.spew.environment.PlanStep;
import io.spew.environment.StartOptions;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.impl.environment.Convergence.Work;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.impl.instance.LocalInstances;
import io.spew.instance.Instances;
import java.util.function.Predicate;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Consumer;
import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.appliance.Appliance;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.RollProgress;

/**
 * The environments of this host: checks a file through before changing anything, keeps its counts
 * as the desired state, and converges the instances to them. One convergence runs at a time.
 */
@Singleton
public final class LocalEnvironments implements Environments {
    private static final System.Logger LOG = System.getLogger(LocalEnvironments.class.getName());

    private final ApplianceStore appliances;
    private final Instances instances;
    private final DesiredStates states;
    private final Converger converger;
    private final ApplianceHistory history;
    private final Rollouts rollouts;
    private final HostVersions hostVersions;
    private final RollProgressListeners progress;

    /**
     * @param instances the instances of this host only: in a cluster, the others' are not this host's to converge
     */
    @Inject
    LocalEnvironments(ApplianceStore appliances, LocalInstances instances, DesiredStates states, ServiceAddresses services,
            ApplianceHistory history, RollStates rolls, RollProgressListeners progress, DataDirectory dataDirectory) {
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.instances = requireNonNull(instances, "instances is null");
        this.states = requireNonNull(states, "states is null");
        this.history = requireNonNull(history, "history is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.converger = new Converger(instances, services, Rollouts.policies(appliances), progress,
                new WritableLayers(dataDirectory.root()));
        this.rollouts = new Rollouts(appliances, instances, states, history, rolls, converger, progress);
        this.hostVersions = new HostVersions(appliances, instances, history, rolls, progress, rollouts);
    }

    @Override
    public Plan plan(EnvironmentFiles files, String environment) {
        EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
        Steps steps = Convergence.of(target.desired(), target.dropped(), instances.list(), target.fingerprints());
        return plan(target, steps.all());
    }

    @Override
    public synchronized Plan start(EnvironmentFiles files, String environment, StartOptions options) {
        EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
        Steps steps = Convergence.of(target.desired(), target.dropped(), instances.list(), target.fingerprints());
        keep(target, options.user(), null);
        rollouts.converge(target.desired(), target.dropped(), options);
        return plan(target, steps.all());
    }

    /**
     * As {@link #start} without waiting, for the instances placed on this host ({@code here}) only: a cluster's
     * host converges its share of an environment; those of its instances placed elsewhere go.
     *
     * @param changed whether the file or its placement changed since the last call (else the appliances and the
     *     desired state kept here are not written again)
     * @param versions the cluster's versions of the file's appliances: this host keeps a copy and rolls its instances
     *     to the last of each (stored in place of the file's appliance when they differ)
     */
    synchronized void startPlaced(EnvironmentFiles files, String environment, String user,
            Predicate<String> here, boolean changed, Map<String, SharedVersions> versions) {
        EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
        if (changed || states.get(files.file()).isEmpty()) {
            keep(target, user, versions);
        }
        rollouts.converge(target.desired(), target.dropped(), new StartOptions(StartOptions.DEFAULT_TIMEOUT, false, user),
                here);
    }

    /** Whether this host keeps the desired state of {@code file} (it converged its share of it). */
    public boolean keeps(String file) {
        return states.get(file).isPresent();
    }

    /**
     * How far this host's roll of {@code appliance} (of environment {@code file}) to the version made from
     * {@code fingerprint} is.
     */
    HostRolls.Phase rollPhase(String file, String appliance, String fingerprint) {
        return hostVersions.phase(states.get(file).orElse(null), appliance, fingerprint);
    }

    /** A new version of an appliance of {@code target}, unnumbered, as {@code start} keeps it. */
    ApplianceVersion versionOf(EnvironmentTarget target, String appliance, String by) {
        return rollouts.version(target, appliance, target.fingerprints().get(appliance), by, "start");
    }

    /**
     * Stores the target's appliances, templates and desired state, and records new versions; with the cluster's
     * {@code versions}, keeps a copy of them instead, and the last version of each appliance where it differs.
     */
    private void keep(EnvironmentTarget target, String user, Map<String, SharedVersions> versions) {
        Map<String, Appliance> previous = new HashMap<>();
        Map<String, Map<String, String>> previousTemplates = new HashMap<>();
        for (String name : target.desired().order()) {
            Appliance stored = appliances.find(name);
            if (stored != null) {
                previous.put(name, stored);
                previousTemplates.put(name, rollouts.storedTemplates(name));
            }
        }
        appliances.store(target.toApply());
        target.templates().forEach(appliances::storeTemplates);
        states.put(target.desired());
        if (versions == null) {
            rollouts.record(target, previous, previousTemplates, user);
        } else {
            hostVersions.adopt(target, versions);
        }
    }

    @Override
    public synchronized Plan stop(EnvironmentFiles files, String environment, boolean remove) {
        DesiredEnvironment stored = states.get(files.file()).orElse(null);
        DesiredEnvironment desired;
        List<String> order = new ArrayList<>();
        if (files.contents().get(files.file()).isBlank() && stored != null) {
            desired = stored; // the file is gone: stop what was started from it
        } else {
            EnvironmentTarget target = EnvironmentTarget.of(files, environment, appliances, states);
            desired = target.desired();
            order.addAll(target.dropped());
        }
        order.addAll(desired.order());
        List<Work> works = Convergence.stopping(order, instances.list(), remove);
        converger.remove(works);
        states.remove(files.file());
        List<PlanStep> steps = new ArrayList<>();
        works.forEach(work -> steps.addAll(work.steps()));
        return new Plan(files.file(), desired.environment(), Map.of(), steps);
    }

    @Override
    public List<DesiredEnvironment> list() {
        return states.list();
    }

    @Override
    public List<ApplianceVersion> history(String appliance) {
        List<ApplianceVersion> versions = history.list(appliance);
        if (versions.isEmpty() && appliances.find(appliance) == null) {
            appliances.get(appliance); // APPLIANCE_NOT_FOUND, with what to do
        }
        return versions;
    }

    @Override
    public synchronized List<ApplianceVersion> rollback(String appliance, Integer version, StartOptions options) {
        DesiredEnvironment desired = rollouts.environmentOf(appliance);
        ApplianceVersion target = ApplianceHistory.rollbackTarget(appliance, history.list(appliance), version);
        rollouts.rollTo(desired, target, "rollback to " + target.version(), options.user(), options);
        return history.list(appliance);
    }

    @Override
    public synchronized List<ApplianceVersion> promote(String appliance, StartOptions options) {
        rollouts.promote(appliance, options);
        return history.list(appliance);
    }

    @Override
    public void restart(String appliance) {
        rollouts.restart(appliance, false);
    }

    /** Restarts this host's share of a cluster's instances of an appliance, as {@link #restart} does. */
    void restartPlaced(String appliance) {
        rollouts.restart(appliance, true);
    }

    @Override
    public Registration onRollProgress(Consumer<RollProgress> listener) {
        return progress.add(listener);
    }

    /**
     * Converges every stored environment again on a thread of its own, as after a restart of the
     * engine: instances that ended while no engine watched start again.
     */
    public void resumeInBackground() {
        if (states.list().isEmpty()) {
            return;
        }
        Thread thread = new Thread(this::resume, "spew-environments-resume");
        thread.setDaemon(true);
        thread.start();
    }

    /** Converges every stored environment again; failures are logged. */
    public synchronized void resume() {
        for (DesiredEnvironment desired : states.list()) {
            try {
                rollouts.converge(desired, List.of(), new StartOptions(StartOptions.DEFAULT_TIMEOUT, false));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "environment " + desired.environment() + " of " + desired.file()
                        + " did not converge: " + e.getMessage());
            }
        }
    }

    private static Plan plan(EnvironmentTarget target, List<PlanStep> convergence) {
        List<PlanStep> steps = new ArrayList<>(target.applySteps());
        steps.addAll(convergence);
        return new Plan(target.desired().file(), target.desired().environment(), target.desired().counts(), steps);
    }
}
