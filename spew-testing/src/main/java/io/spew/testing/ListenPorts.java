package io.spew.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a test to listen on later. A port the kernel hands out for {@code bind(0)} comes from the
 * ephemeral range, which outgoing connections also draw from, so another connection may take it
 * before the test binds it. These come from below that range instead, and are free when returned.
 */
public final class ListenPorts {
    private static final int LOWEST = 20_000;
    private static final int ATTEMPTS = 200;

    private ListenPorts() {}

    /** A loopback port below the ephemeral range that nothing listens on now. */
    public static int free() {
        int highest = ephemeralStart();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + LOWEST + ".." + highest));
    }

    private static int ephemeralStart() {
        try {
            int start = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+")[0]);
            return Math.max(LOWEST + 1000, start);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
