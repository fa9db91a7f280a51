package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The instance subnet of a host or a cluster, cut into slices of one prefix length: each host hands out
 * instance addresses from a slice of its own. A cluster's is kept in its replicated state under
 * {@value #KEY} ({@code 10.77.0.0/16 24}), set by the first host that claims a slice.
 *
 * @param subnet the whole instance subnet
 * @param slicePrefix the prefix length of each slice, from the subnet's to 30
 */
public record InstanceSubnet(Ipv4Subnet subnet, int slicePrefix) {
    /** The key of the cluster's instance subnet in its replicated state. */
    public static final String KEY = "network/subnet";

    public InstanceSubnet {
        requireNonNull(subnet, "subnet is null");
        if (slicePrefix < subnet.prefix() || slicePrefix > 30) {
            throw new IllegalArgumentException("slice /" + slicePrefix + " does not fit in " + subnet);
        }
    }

    /** Reads the form {@link #encode()} writes; throws IllegalArgumentException if it is not that. */
    static InstanceSubnet parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not 'SUBNET SLICE-PREFIX': " + text);
        }
        try {
            return new InstanceSubnet(Ipv4Subnet.parse(parts[0], "instance subnet"), Integer.parseInt(parts[1]));
        } catch (SpewException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The cluster's instance subnet as {@code state} holds it, if it holds one; a bad value is an error. */
    static Optional<InstanceSubnet> of(SortedMap<String, String> state) {
        String value = state.get(KEY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(value));
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INTERNAL, "the cluster's instance subnet '" + value
                    + "' (" + KEY + " in its replicated state) cannot be read: " + e.getMessage());
        }
    }

    /** {@code SUBNET SLICE-PREFIX}, as kept in the replicated state. */
    String encode() {
        return subnet + " " + slicePrefix;
    }

    /** How many slices there are. */
    long count() {
        return 1L << (slicePrefix - subnet.prefix());
    }

    /** The slice of that index, 0 to {@link #count()} - 1. */
    Ipv4Subnet slice(long index) {
        return subnet.slice(slicePrefix, index);
    }

    /** Whether {@code slice} is one of the slices. */
    boolean holds(Ipv4Subnet slice) {
        return slice.prefix() == slicePrefix && subnet.contains(slice.address(0));
    }

    @Override
    public String toString() {
        return subnet + " in slices of /" + slicePrefix;
    }
}
