package io.spew.impl.environment;

import io.spew.SpewException;
import io.spew.impl.cluster.Placement;
import io.spew.spi.cluster.ReplicatedState;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Where each host of a cluster is with the versions of each appliance it holds instances of: after converging
 * its share of an environment, a host restarts its instances of an appliance when the cluster asked more rolling
 * restarts than it did, and writes to the replicated state ({@value #PREFIX}{@code <appliance>/<host>}, a
 * {@link HostRoll}) the version its instances run and how far its roll is, so that the host that asked a rollback,
 * promotion or restart knows when every host is done (and a host that comes back finds the restarts it missed).
 */
final class HostRolls {
    static final String PREFIX = "rolled/";
    private static final System.Logger LOG = System.getLogger(HostRolls.class.getName());

    /** How far a host's roll of an appliance is. */
    enum Phase {
        /** Every instance of the appliance on the host runs the version. */
        DONE,
        /** The canaries run the version; the others wait for a promotion. */
        PAUSED,
        /** Some instances do not run the version yet. */
        ROLLING,
        /** The roll to the version (or the restart) failed on the host. */
        FAILED
    }

    /**
     * One host's roll of one appliance.
     *
     * @param version the cluster's version the host rolls to
     * @param restarts the rolling restarts the host did
     * @param phase how far it is
     * @param detail why it failed, or null
     */
    record HostRoll(int version, long restarts, Phase phase, String detail) {}

    private final String host;
    private final LocalEnvironments local;
    private final ReplicatedState state;
    private final Map<String, Long> restarted = new HashMap<>();

    HostRolls(String host, LocalEnvironments local, ReplicatedState state) {
        this.host = host;
        this.local = local;
        this.state = state;
    }

    /**
     * After this host converged its share of {@code shared} (or failed to: {@code failure}), restarts what the
     * cluster asked and tells the cluster where this host is with each appliance placed here.
     */
    void settle(SharedEnvironment shared, Placement.Result placement, SortedMap<String, String> snapshot,
            RuntimeException failure) {
        for (String appliance : shared.appliancesOn(placement, host)) {
            SharedVersions versions = shared.versions().get(appliance);
            if (versions == null || versions.versions().isEmpty()) {
                continue;
            }
            HostRoll before = get(snapshot, appliance, host).orElse(null);
            long done = restarted.getOrDefault(appliance, before == null ? versions.restarts() : before.restarts());
            RuntimeException failed = failure;
            if (versions.restarts() > done && failure == null) {
                try {
                    local.restartPlaced(appliance);
                } catch (RuntimeException e) {
                    failed = e;
                }
                done = versions.restarts(); // a failed restart is not tried again at each convergence
            }
            restarted.put(appliance, done);
            tell(appliance, before, new HostRoll(versions.latest().version(), done, phase(shared, appliance,
                    versions, before, failed), detail(appliance, before, failed)));
        }
    }

    private Phase phase(SharedEnvironment shared, String appliance, SharedVersions versions, HostRoll before,
            RuntimeException failure) {
        if (failedRolling(failure, appliance) != null) {
            return Phase.FAILED;
        }
        Phase phase = local.rollPhase(shared.file(), appliance, versions.latest().fingerprint());
        boolean stillFailed = before != null && before.phase() == Phase.FAILED
                && before.version() == versions.latest().version();
        return phase != Phase.DONE && stillFailed ? Phase.FAILED : phase;
    }

    private static String detail(String appliance, HostRoll before, RuntimeException failure) {
        if (failedRolling(failure, appliance) != null) {
            return failure.getMessage();
        }
        return before != null && before.phase() == Phase.FAILED ? before.detail() : null;
    }

    /** The failed roll of {@code appliance} that {@code failure} is or was caused by, or null. */
    private static RollFailedException failedRolling(Throwable failure, String appliance) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RollFailedException rolling && rolling.appliance().equals(appliance)) {
                return rolling;
            }
        }
        return null;
    }

    private void tell(String appliance, HostRoll before, HostRoll now) {
        if (now.equals(before)) {
            return;
        }
        try {
            state.put(key(appliance, host), SharedEnvironment.write(now), ClusterEnvironments.WRITE_TIMEOUT);
        } catch (SpewException e) {
            LOG.log(Level.WARNING, "cannot tell the cluster where this host is with appliance " + appliance + ": "
                    + e.getMessage());
        }
    }

    /** Where {@code host} is with {@code appliance}, as a snapshot of the replicated state has it. */
    static Optional<HostRoll> get(SortedMap<String, String> snapshot, String appliance, String host) {
        return Optional.ofNullable(snapshot.get(key(appliance, host)))
                .map(json -> SharedEnvironment.read(json, HostRoll.class));
    }

    private static String key(String appliance, String host) {
        return PREFIX + appliance + "/" + host;
    }
}
