package io.spew.host;

import java.time.Duration;
import java.util.List;

/** The hosts of the cluster this host belongs to (just itself without a cluster). */
public interface Hosts {
    /** Every member, the local one first. */
    List<Host> list();

    /** The host this engine runs on. */
    Host local();

    /**
     * Takes this host out of its cluster for good, so the others no longer count it toward a majority (they
     * place its instances elsewhere); this host's engine has no cluster afterwards. Without a cluster, nothing.
     * Fails with CLUSTER_UNAVAILABLE when a majority cannot agree within {@code timeout}.
     */
    default void leaveCluster(Duration timeout) {}
}
