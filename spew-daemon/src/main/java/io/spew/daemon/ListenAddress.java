package io.spew.daemon;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the daemon listens: a host and a port, written {@code 127.0.0.1:7070} or
 * {@code [::1]:7070}. Port 0 asks the kernel for a free port.
 *
 * @param host a host name or an IP literal, without brackets
 * @param port the TCP port, 0 to 65535
 */
public record ListenAddress(String host, int port) {
    /** The address used when neither {@code --listen} nor {@code SPEW_LISTEN} says otherwise. */
    public static final ListenAddress DEFAULT = new ListenAddress("127.0.0.1", 7070);

    /** The environment variable that overrides {@link #DEFAULT}. */
    public static final String ENVIRONMENT_VARIABLE = "SPEW_LISTEN";

    public ListenAddress {
        requireNonNull(host, "host is null");
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad listen address " + host + ":" + port);
        }
    }

    /** Parses {@code HOST:PORT}; a bad one throws {@code INVALID_ARGUMENT}. */
    public static ListenAddress parse(String text) {
        requireNonNull(text, "text is null");
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid(text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw invalid(text);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (host.isEmpty() || port < 0 || port > 65535) {
                throw invalid(text);
            }
            return new ListenAddress(host, port);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    /** {@code --listen} if given, else {@code SPEW_LISTEN} if set, else {@link #DEFAULT}. */
    public static ListenAddress choose(String option) {
        if (option != null) {
            return parse(option);
        }
        String environment = System.getenv(ENVIRONMENT_VARIABLE);
        if (environment != null && !environment.isBlank()) {
            return parse(environment.trim());
        }
        return DEFAULT;
    }

    /** The address of a bound socket. */
    public static ListenAddress of(InetSocketAddress address) {
        return new ListenAddress(address.getAddress().getHostAddress(), address.getPort());
    }

    /** Refuses an address that is not on the loopback interface: those need TLS. */
    public ListenAddress requireLoopback() {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "unknown listen host '" + host
                    + "': use an address such as 127.0.0.1:7070");
        }
        if (!loopback) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "TLS is required for non-loopback addresses; not"
                    + " supported yet: listen on 127.0.0.1 or [::1] instead of " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static SpewException invalid(String text) {
        return new SpewException(ErrorCode.INVALID_ARGUMENT, "bad listen address '" + text
                + "': use ADDRESS:PORT such as 127.0.0.1:7070");
    }
}
