package io.spew.impl.environment;

import io.spew.environment.ApplianceVersion;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.RollProgress;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.environment.HostRolls.Phase;
import io.spew.impl.environment.RollProgressListeners.Versions;
import io.spew.impl.environment.RollStates.Rolling;
import io.spew.instance.Instances;
import java.util.List;
import java.util.Map;

/**
 * What a host of a cluster keeps of the cluster's versions of its appliances ({@link SharedVersions}): a copy of
 * them as its history, the last version of each stored where the file's is not it (after a rollback), and a roll to
 * it while its instances run something else; and how far that roll is.
 */
final class HostVersions {
    private final ApplianceStore appliances;
    private final Instances instances;
    private final ApplianceHistory history;
    private final RollStates rolls;
    private final RollProgressListeners listener;
    private final Rollouts rollouts;

    HostVersions(ApplianceStore appliances, Instances instances, ApplianceHistory history, RollStates rolls,
            RollProgressListeners listener, Rollouts rollouts) {
        this.appliances = appliances;
        this.instances = instances;
        this.history = history;
        this.rolls = rolls;
        this.listener = listener;
        this.rollouts = rollouts;
    }

    /**
     * Keeps a copy of the cluster's versions of each appliance of the target, stores the last version of each where
     * it is not the file's (a rollback), and records a roll to it when instances here run something else. Runs after
     * the target's appliances were stored.
     */
    void adopt(EnvironmentTarget target, Map<String, SharedVersions> shared) {
        DesiredEnvironment desired = target.desired();
        for (String appliance : desired.order()) {
            SharedVersions versions = shared.get(appliance);
            if (versions == null || versions.versions().isEmpty()) {
                continue;
            }
            ApplianceVersion latest = versions.latest();
            if (!latest.fingerprint().equals(target.fingerprints().get(appliance))) {
                appliances.store(List.of(latest.applied()));
                appliances.storeTemplates(appliance, latest.templates());
            }
            history.replace(appliance, versions.versions());
            boolean behind = desired.made().entrySet().stream().anyMatch(entry
                    -> Rollouts.isMember(appliance, entry.getKey()) && !entry.getValue().equals(latest.fingerprint()));
            Rolling before = rolls.get(appliance).orElse(null);
            if (!behind) {
                rolls.remove(appliance);
                continue;
            }
            rolls.put(new Rolling(desired.file(), appliance, latest.version(), latest.fingerprint(),
                    versions.canaries()));
            if (before != null && before.canaries() && !versions.canaries() && before.version() == latest.version()) {
                Rolling rolling = rolls.get(appliance).orElseThrow();
                listener.progress(appliance, RollProgress.Phase.PROMOTED, new Versions(
                        rollouts.versionBefore(desired, appliance, rolling), rolling.version()),
                        Rollouts.onVersion(desired, appliance, rolling.fingerprint()),
                        Convergence.members(appliance, instances.list()).size(), null);
            }
        }
    }

    /** How far the roll of this host's instances of {@code appliance} to {@code fingerprint} is. */
    Phase phase(DesiredEnvironment desired, String appliance, String fingerprint) {
        Rolling rolling = rolls.get(appliance).orElse(null);
        if (rolling != null) {
            return rolling.canaries() ? Phase.PAUSED : Phase.ROLLING;
        }
        boolean behind = desired == null || Convergence.members(appliance, instances.list()).keySet().stream()
                .anyMatch(index -> !fingerprint.equals(desired.made().get(appliance + "-" + index)));
        return behind ? Phase.ROLLING : Phase.DONE;
    }
}
