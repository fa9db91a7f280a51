package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.StartOptions;
import io.spew.host.HostState;
import io.spew.impl.environment.HostRolls.HostRoll;
import io.spew.impl.environment.HostRolls.Phase;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ReplicatedState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The versions of a cluster's appliances: {@code start} adds a version to the cluster's replicated state when an
 * appliance changed, a rollback adds an older one again, a promotion lets the roll past its canaries and a rolling
 * restart counts one more restart; each is one write a majority must take (else CLUSTER_UNAVAILABLE and nothing
 * changes), which every host applies to its own instances ({@link HostRolls}), a host that was down when it comes
 * back. The command then waits until every live host that holds instances of the appliance says it is done.
 */
final class ClusterRollouts {
    static final Duration ROLL_TIMEOUT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 100;

    private final ClusterTransport transport;
    private final LocalEnvironments local;

    ClusterRollouts(ClusterTransport transport, LocalEnvironments local) {
        this.transport = transport;
        this.local = local;
    }

    /** The versions of the target's appliances after a start: a new one for each whose last is not the file's. */
    Map<String, SharedVersions> versionsAfterStart(EnvironmentTarget target, Optional<SharedEnvironment> stored,
            String by) {
        Map<String, SharedVersions> versions = new TreeMap<>(stored.map(SharedEnvironment::versions).orElse(Map.of()));
        for (String appliance : target.desired().order()) {
            SharedVersions current = versions.getOrDefault(appliance, SharedVersions.NONE);
            if (current.versions().isEmpty()
                    || !current.latest().fingerprint().equals(target.fingerprints().get(appliance))) {
                versions.put(appliance, current.adding(local.versionOf(target, appliance, by), true));
            }
        }
        return versions;
    }

    /** The cluster's versions of an appliance, or empty when the cluster keeps none (this host's then). */
    Optional<List<ApplianceVersion>> history(String appliance) {
        SharedEnvironment found = null;
        for (SharedEnvironment shared : SharedEnvironment.all(state().snapshot()).values()) {
            if (shared.versions().containsKey(appliance) && (found == null || found.stopped())) {
                found = shared;
            }
        }
        return Optional.ofNullable(found).map(shared -> shared.versions().get(appliance).versions());
    }

    List<ApplianceVersion> rollback(String appliance, Integer version, StartOptions options) {
        SharedEnvironment shared = environmentOf(appliance);
        SharedVersions versions = shared.versions().getOrDefault(appliance, SharedVersions.NONE);
        ApplianceVersion target = ApplianceHistory.rollbackTarget(appliance, versions.versions(), version);
        return write(shared, appliance, versions.rollingBackTo(target, options.user())).versions();
    }

    List<ApplianceVersion> promote(String appliance) {
        SharedEnvironment shared = environmentOf(appliance);
        SharedVersions versions = shared.versions().getOrDefault(appliance, SharedVersions.NONE);
        if (versions.versions().isEmpty() || !versions.canaries() || waiting(shared, appliance,
                versions.latest().version(), versions.restarts()).isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_STATE, "appliance " + appliance + " has no roll waiting for a"
                    + " promotion: 'spew history " + appliance + "' shows its versions");
        }
        return write(shared, appliance, versions.promoted()).versions();
    }

    /** Restarts the instances of an appliance on every host; false when the cluster keeps no versions of it. */
    boolean restart(String appliance) {
        SharedEnvironment shared = environmentOf(appliance);
        SharedVersions versions = shared.versions().get(appliance);
        if (versions == null || versions.versions().isEmpty()) {
            return false;
        }
        write(shared, appliance, versions.restarted());
        return true;
    }

    private SharedVersions write(SharedEnvironment shared, String appliance, SharedVersions versions) {
        state().put(SharedEnvironment.PREFIX + shared.file(), shared.withVersions(appliance, versions).encode(),
                ClusterEnvironments.WRITE_TIMEOUT);
        awaitRolled(shared, appliance, versions.latest().version(), versions.restarts());
        return versions;
    }

    /** Waits until every live host holding instances of the appliance runs {@code version} after its restarts. */
    private void awaitRolled(SharedEnvironment shared, String appliance, int version, long restarts) {
        long deadline = System.nanoTime() + ROLL_TIMEOUT.toNanos();
        while (true) {
            List<String> waiting = waiting(shared, appliance, version, restarts);
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "host" + (waiting.size() == 1 ? " " : "s ")
                        + String.join(", ", waiting) + " did not roll appliance " + appliance + " to version "
                        + version + " within " + ROLL_TIMEOUT.toSeconds() + " s; the cluster keeps the version and"
                        + " its hosts go on ('spew events --appliance " + appliance + "' follows them)");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpewException(ErrorCode.INTERNAL, "interrupted while waiting for the roll of " + appliance);
            }
        }
    }

    /**
     * The live hosts holding instances of an appliance that do not run {@code version} after {@code restarts} yet;
     * a host whose roll to it failed throws START_FAILED, naming it and why.
     */
    private List<String> waiting(SharedEnvironment shared, String appliance, int version, long restarts) {
        SortedMap<String, String> snapshot = state().snapshot();
        Set<String> hosts = SharedEnvironment.placement(snapshot, shared.file())
                .map(placement -> shared.hostsOf(placement, appliance)).orElse(new TreeSet<>());
        hosts.retainAll(transport.members().stream().filter(member -> member.state() != HostState.LOST)
                .map(member -> member.member().id()).toList());
        List<String> waiting = new ArrayList<>();
        for (String host : hosts) {
            HostRoll roll = HostRolls.get(snapshot, appliance, host).orElse(null);
            if (roll != null && roll.version() == version && roll.restarts() >= restarts
                    && roll.phase() == Phase.FAILED) {
                throw new SpewException(ErrorCode.START_FAILED, "on host " + host + ": " + roll.detail());
            }
            if (roll == null || roll.version() != version || roll.restarts() < restarts || roll.phase() != Phase.DONE) {
                waiting.add(host);
            }
        }
        return waiting;
    }

    /** The environment started that has instances of the appliance, as the cluster keeps it, or NOT_FOUND. */
    private SharedEnvironment environmentOf(String appliance) {
        return SharedEnvironment.all(state().snapshot()).values().stream()
                .filter(shared -> !shared.stopped() && shared.has(appliance)).findFirst()
                .orElseThrow(() -> Rollouts.notInAnEnvironment(appliance));
    }

    private ReplicatedState state() {
        return transport.replicatedState();
    }
}
