package io.spew.daemon.cluster;

import io.spew.ErrorCode;
import io.spew.SpewException;

/**
 * A cluster address, {@code host:port}: where a daemon's transport listens for its peers.
 *
 * @param host a host name or IPv4 address
 * @param port its TCP port
 */
public record ClusterAddress(String host, int port) {
    /** The port a daemon listens on for the cluster unless told otherwise. */
    public static final int DEFAULT_PORT = 7800;

    public ClusterAddress {
        if (host == null || host.isBlank() || host.contains(":") || host.contains(",")) {
            throw new IllegalArgumentException("bad cluster host: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster port out of range: " + port);
        }
    }

    /** Reads {@code host:port}; {@code what} names the input in the error (exit 2). */
    public static ClusterAddress parse(String text, String what) {
        String value = text == null ? "" : text.strip();
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0) {
                return new ClusterAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new SpewException(ErrorCode.INVALID_ARGUMENT, what + " '" + text
                + "' is not a cluster address: expected ADDR:PORT such as 10.0.0.5:" + DEFAULT_PORT);
    }

    /** The form JGroups' TCPPING reads: {@code host[port]}. */
    String jgroupsForm() {
        return host + "[" + port + "]";
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
