package io.spew.environment;

import io.spew.Registration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Environment files ({@code spew.yaml}): appliances, instance counts, and named environments that
 * change counts only. Errors in a file throw {@code INVALID_APPLIANCE} with {@code file:line:column}
 * and change nothing.
 */
public interface Environments {
    /**
     * What {@link #start} would do; changes nothing.
     *
     * @param environment a name under {@code environments:}, or null for the file's own counts
     */
    Plan plan(EnvironmentFiles files, String environment);

    /**
     * Applies the file's appliances, keeps the counts as the desired state, and converges: creates and
     * starts the missing instances {@code <appliance>-<index>} in {@code requires} order, starts those
     * that ended, and stops then removes those of the highest indexes beyond the counts. Idempotent.
     * Returns the steps it took.
     */
    Plan start(EnvironmentFiles files, String environment, StartOptions options);

    /**
     * Stops the instances of the file's appliances in reverse {@code requires} order (removing them
     * too when {@code remove}), and forgets the desired state. Returns the steps it took. When the
     * file's text is blank (the file is gone) and it was started, what was started from it stops.
     */
    Plan stop(EnvironmentFiles files, String environment, boolean remove);

    /** The desired state of every environment file started, sorted by file. */
    List<DesiredEnvironment> list();

    /**
     * The versions of an appliance that ran in an environment, oldest first: a new one each time
     * {@link #start} changed what its instances are made from, or a rollback applied an older one. In a cluster
     * they are the cluster's, the same on every host.
     */
    List<ApplianceVersion> history(String appliance);

    /**
     * Applies an older version of an appliance again (as a new version) and rolls its instances to it
     * under its update policy, without canaries. In a cluster every host holding instances of it rolls its own;
     * this returns once each live one is done (CLUSTER_UNAVAILABLE, changing nothing, without a majority).
     *
     * @param version the version to go back to, or null for the one before the last
     * @return the versions after the rollback
     */
    List<ApplianceVersion> rollback(String appliance, Integer version, StartOptions options);

    /**
     * Lets a roll that stopped after its canaries ({@code update.canary}) go on over the other instances; in a
     * cluster, on every host.
     *
     * @return the versions of the appliance
     */
    List<ApplianceVersion> promote(String appliance, StartOptions options);

    /**
     * Restarts the running instances of an appliance of an environment the way a change rolls: a few at
     * a time ({@code update.max_parallel}), each healthy for {@code update.min_healthy_time} first. In a cluster
     * every host restarts its own (a few at a time each), a host that was down when it comes back.
     */
    void restart(String appliance);

    /**
     * Tells {@code listener} of the progress of every roll, rollback and rolling restart; in a cluster, of every
     * host's ({@link RollProgress#host()}).
     */
    Registration onRollProgress(Consumer<RollProgress> listener);
}
