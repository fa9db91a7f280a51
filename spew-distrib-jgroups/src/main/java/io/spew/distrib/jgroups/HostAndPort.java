package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One seed member as JGroups writes it: {@code host[port]}. */
record HostAndPort(String host, int port) {
    private static final Pattern FORM = Pattern.compile("([^\\[\\]\\s]+)\\[(\\d{1,5})]");

    HostAndPort {
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host[port]}; {@code setting} names where it came from in the error. */
    static HostAndPort parse(String text, String setting) {
        Matcher matcher = FORM.matcher(text.strip());
        if (matcher.matches()) {
            int port = Integer.parseInt(matcher.group(2));
            if (port >= 1 && port <= 65535) {
                return new HostAndPort(matcher.group(1), port);
            }
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + setting + "' has '" + text
                + "', expected host[port] such as 10.0.0.2[7800]");
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host + "[" + port + "]";
    }
}
