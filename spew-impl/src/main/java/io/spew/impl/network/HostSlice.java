package io.spew.impl.network;

import com.google.inject.ImplementedBy;

/**
 * The part of the cluster's instance subnet this host hands out addresses from. No two hosts of a
 * cluster may have overlapping slices: today the slice comes from the engine's settings
 * ({@link SettingsHostSlice}); the cluster's replicated state is to assign them through this interface.
 */
@ImplementedBy(SettingsHostSlice.class)
public interface HostSlice {
    /** This host's slice; its first usable address is the host's gateway address on the instance bridge. */
    Ipv4Subnet slice();
}
