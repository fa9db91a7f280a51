package io.spew.impl.network;

import com.google.inject.ImplementedBy;
import java.util.List;

/**
 * The slices of the other hosts of the cluster, and where each host is reached. Today they come from
 * the engine's settings ({@link SettingsPeerSlices}); the cluster's replicated state, which assigns the
 * slices, is to answer through this interface.
 */
@ImplementedBy(SettingsPeerSlices.class)
public interface PeerSlices {
    /** Every other host's slice, none on a host alone. */
    List<PeerSlice> peers();
}
