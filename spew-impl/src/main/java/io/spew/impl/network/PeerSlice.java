package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

/**
 * Another host's slice of the instance subnet and the address that host is reached at: its instances'
 * addresses are routed through it (as flannel's host-gw does).
 *
 * @param slice the other host's slice
 * @param host the other host's address, on a network this host shares with it
 */
public record PeerSlice(Ipv4Subnet slice, String host) {
    public PeerSlice {
        requireNonNull(slice, "slice is null");
        Ipv4Subnet.parseAddress(requireNonNull(host, "host is null"));
    }
}
