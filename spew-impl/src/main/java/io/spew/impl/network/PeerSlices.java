package io.spew.impl.network;

import io.spew.Registration;
import java.util.List;

/**
 * The slices of the other hosts of the cluster, and where each host is reached: from the engine's settings for
 * a host alone ({@link SettingsPeerSlices}), from the cluster's replicated state in a cluster
 * ({@link ReplicatedSlices}).
 */
public interface PeerSlices {
    /** Every other host's slice, none on a host alone. */
    List<PeerSlice> peers();

    /** Calls {@code listener} after each change of {@link #peers}; the default never changes. */
    default Registration onChange(Runnable listener) {
        return () -> {};
    }
}
