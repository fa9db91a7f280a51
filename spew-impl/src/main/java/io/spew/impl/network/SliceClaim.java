package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A host's hold on a slice of the cluster's instance subnet, as the replicated state keeps it: key
 * {@code network/slices/<slice>}, value {@code <host id> <host address>}.
 *
 * @param slice the slice
 * @param host the id of the host that holds it
 * @param address where that host is reached, on the network the hosts share
 */
record SliceClaim(Ipv4Subnet slice, String host, String address) {
    static final String PREFIX = "network/slices/";

    SliceClaim {
        requireNonNull(slice, "slice is null");
        requireNonNull(host, "host is null");
        requireNonNull(address, "address is null");
        if (host.isBlank() || host.contains(" ")) {
            throw new IllegalArgumentException("not a host id: '" + host + "'");
        }
        Ipv4Subnet.parseAddress(address);
    }

    /** Every readable claim in {@code state}, by slice; an unreadable one is left out. */
    static List<SliceClaim> all(SortedMap<String, String> state) {
        List<SliceClaim> claims = new ArrayList<>();
        for (var entry : state.subMap(PREFIX, PREFIX + Character.MAX_VALUE).entrySet()) {
            String[] parts = entry.getValue().strip().split(" ");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("not 'HOST ADDRESS'");
                }
                claims.add(new SliceClaim(Ipv4Subnet.parse(entry.getKey().substring(PREFIX.length()), "slice"),
                        parts[0], parts[1]));
            } catch (RuntimeException e) {
                System.getLogger(SliceClaim.class.getName()).log(System.Logger.Level.WARNING, "ignoring slice claim "
                        + entry + " in the cluster's replicated state: " + e.getMessage());
            }
        }
        return claims;
    }

    static String key(Ipv4Subnet slice) {
        return PREFIX + slice;
    }

    String key() {
        return key(slice);
    }

    String value() {
        return host + " " + address;
    }

    /** The route to the slice: through its host. */
    PeerSlice peer() {
        return new PeerSlice(slice, address);
    }
}
