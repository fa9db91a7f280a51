package io.spew.impl.network;

import java.time.Duration;
import java.util.Optional;

/**
 * The part of the instance subnet this host hands out addresses from. No two hosts of a cluster may have
 * overlapping slices: a host alone takes its slice from the engine's settings ({@link SettingsHostSlice}); in a
 * cluster the replicated state assigns them ({@link ReplicatedSlices}).
 */
public interface HostSlice {
    /**
     * This host's slice; its first usable address is the host's gateway address on the instance bridge. May
     * wait while the cluster assigns it, and fail (CLUSTER_UNAVAILABLE) if it cannot.
     */
    Ipv4Subnet slice();

    /** This host's slice if it is known now, without waiting. */
    default Optional<Ipv4Subnet> known() {
        return Optional.of(slice());
    }

    /** Gives the slice back to the cluster, as this host leaves it; nothing for a host alone. */
    default void release(Duration timeout) {}

    /** Claims a slice again after {@link #release}, as this host stays in the cluster after all. */
    default void claimAgain() {}
}
