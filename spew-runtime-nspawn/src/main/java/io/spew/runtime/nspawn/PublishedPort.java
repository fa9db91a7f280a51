package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of config {@code ports}: {@code HOST:CONTAINER}, or {@code FIRST-LAST:CONTAINER} for an
 * appliance with several instances, where the instance of index {@code i} publishes {@code FIRST + i - 1};
 * either may start with the host address to publish on, {@code ADDRESS:} (an IPv4 address, or an IPv6 one
 * in brackets: {@code [::1]:8080:80}); without one the port is published on every address of the host,
 * IPv4 and IPv6.
 *
 * @param address the host address, IPv4 or IPv6 without brackets, or null for every address
 * @param first the first host port
 * @param last the last host port ({@code first} for a single port)
 * @param container the port in the container
 */
record PublishedPort(String address, int first, int last, int container) {
    private static final Pattern FORMAT = Pattern.compile(
            "(?:(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]):)?(\\d{1,5})(?:-(\\d{1,5}))?:(\\d{1,5})");

    PublishedPort {
        if (first < 1 || last > 65535 || last < first || container < 1 || container > 65535) {
            throw new IllegalArgumentException("ports out of 1..65535 or a reversed range");
        }
        if (address != null) {
            literal(address);
        }
    }

    /** The address of an IPv4 or IPv6 literal, never looked up by name; throws IllegalArgumentException. */
    private static InetAddress literal(String address) {
        boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (ipv4 && Arrays.stream(address.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)
                || !ipv4 && !address.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }

    /** Where the port listens: its address, else every address of the host (the wildcard, dual-stack). */
    InetSocketAddress bindAddress(int hostPort) {
        return address == null ? new InetSocketAddress(hostPort) : new InetSocketAddress(literal(address), hostPort);
    }

    /** A port published on every address of the host. */
    PublishedPort(int first, int last, int container) {
        this(null, first, last, container);
    }

    /** Parses the comma-separated entries of config {@code ports}. */
    static List<PublishedPort> parseAll(String value) {
        List<PublishedPort> ports = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return ports;
        }
        for (String item : value.split(",")) {
            Matcher matcher = FORMAT.matcher(item.trim());
            try {
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("no match");
                }
                String address = matcher.group(1) == null ? null : matcher.group(1).replace("[", "").replace("]", "");
                int first = Integer.parseInt(matcher.group(2));
                int last = matcher.group(3) == null ? first : Integer.parseInt(matcher.group(3));
                ports.add(new PublishedPort(address, first, last, Integer.parseInt(matcher.group(4))));
            } catch (IllegalArgumentException e) {
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, "runtime nspawn: ports takes HOST:CONTAINER or"
                        + " FIRST-LAST:CONTAINER with ports in 1..65535, each optionally after ADDRESS: (127.0.0.1:,"
                        + " [::1]:), not '" + item.trim() + "'");
            }
        }
        return ports;
    }

    /** The host port of the instance with that index (1-based); throws {@code START_FAILED} past the range. */
    int hostPort(String instance, int index) {
        if (first == last) {
            return first;
        }
        if (index < 1 || first + index - 1 > last) {
            throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + " has index " + index + " but ports "
                    + this + " publish " + (last - first + 1) + " ports: widen the range");
        }
        return first + index - 1;
    }

    @Override
    public String toString() {
        String prefix = address == null ? "" : address.contains(":") ? "[" + address + "]:" : address + ":";
        return prefix + (first == last ? Integer.toString(first) : first + "-" + last) + ":" + container;
    }
}
