package io.spew.impl.network;

import io.spew.ErrorCode;
import io.spew.SpewException;

/**
 * An IPv4 network in CIDR notation ({@code 10.77.0.0/16}).
 *
 * @param base the network address as an unsigned 32-bit number (host bits zero)
 * @param prefix the prefix length, 8 to 30
 */
public record Ipv4Subnet(long base, int prefix) {
    public Ipv4Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("prefix out of 8..30: " + prefix);
        }
        if (base < 0 || base > 0xFFFF_FFFFL || (base & ~mask(prefix) & 0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("not a network address for /" + prefix + ": " + base);
        }
    }

    /** Parses {@code A.B.C.D/N}; {@code what} names the setting in the error. */
    public static Ipv4Subnet parse(String text, String what) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("no prefix length");
            }
            long address = parseAddress(parts[0]);
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 8 || prefix > 30) {
                throw new IllegalArgumentException("prefix length out of 8..30");
            }
            return new Ipv4Subnet(address & mask(prefix) & 0xFFFF_FFFFL, prefix);
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, what + " '" + text
                    + "' is not an IPv4 network A.B.C.D/N with N in 8..30 (" + e.getMessage() + ")");
        }
    }

    static long parseAddress(String text) {
        String[] octets = text.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        long address = 0;
        for (String octet : octets) {
            int value = Integer.parseInt(octet);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            address = address << 8 | value;
        }
        return address;
    }

    private static long mask(int prefix) {
        return 0xFFFF_FFFFL << (32 - prefix);
    }

    /** How many addresses the network spans, network and broadcast address included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The {@code index}-th slice of prefix length {@code slicePrefix}; throws if there is none such. */
    public Ipv4Subnet slice(int slicePrefix, long index) {
        if (slicePrefix < prefix || slicePrefix > 30) {
            throw new IllegalArgumentException("slice /" + slicePrefix + " does not fit in /" + prefix);
        }
        long count = 1L << (slicePrefix - prefix);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("slice " + index + " out of 0.." + (count - 1));
        }
        return new Ipv4Subnet(base + index * (1L << (32 - slicePrefix)), slicePrefix);
    }

    /** The address at {@code offset} from the network address, in dotted form. */
    public String address(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset out of the network: " + offset);
        }
        long address = base + offset;
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    /** Whether a dotted address lies in this network. */
    public boolean contains(String address) {
        try {
            return (parseAddress(address) & mask(prefix) & 0xFFFF_FFFFL) == base;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return address(0) + "/" + prefix;
    }
}
