package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

/**
 * The address an instance holds on this host's instance network.
 *
 * @param address its address, dotted
 * @param slice the host's slice it was leased from
 */
public record InstanceAddress(String address, Ipv4Subnet slice) {
    public InstanceAddress {
        requireNonNull(address, "address is null");
        requireNonNull(slice, "slice is null");
        if (!slice.contains(address)) {
            throw new IllegalArgumentException(address + " is not in " + slice);
        }
    }

    /** The address with the slice's prefix length ({@code 10.77.0.2/24}). */
    public String cidr() {
        return address + "/" + slice.prefix();
    }

    /** The host's address on the bridge: the slice's first usable address. */
    public String gateway() {
        return slice.address(1);
    }
}
