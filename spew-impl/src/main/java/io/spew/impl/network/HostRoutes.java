package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Routes to the other hosts' instances, as flannel's host-gw does: one route per other host's slice
 * through that host's address ({@code ip route replace SLICE via HOST proto 177}), so that instances
 * reach each other by instance address when their hosts share a network; routes Spew made for slices
 * no longer listed are removed (those of protocol {@value #PROTOCOL}, which marks Spew's own). IPv4
 * forwarding is turned on once there is a route, so that the host passes its instances' packets on.
 * Limits: the hosts must reach each other directly (one layer-2 network: no route goes through a
 * router that does not know the slices), and packets keep their instance source addresses (no NAT).
 */
public final class HostRoutes {
    /** The routing protocol number that marks the routes Spew made (a number no routing daemon uses). */
    static final String PROTOCOL = "177";
    private static final long TIMEOUT_SECONDS = 10;

    private final List<String> prefix;

    /** Routes of this host's network namespace. */
    public HostRoutes() {
        this(List.of());
    }

    /**
     * @param prefix what every command runs under ({@code ip netns exec NAME} for a namespace of a
     *     test's simulated host); empty for this host
     */
    public HostRoutes(List<String> prefix) {
        this.prefix = List.copyOf(requireNonNull(prefix, "prefix is null"));
    }

    /** Makes the routes exactly those to {@code peers}' slices; idempotent. */
    public void sync(List<PeerSlice> peers) {
        Set<String> wanted = new LinkedHashSet<>();
        for (PeerSlice peer : peers) {
            wanted.add(peer.slice().toString());
        }
        for (String route : routes()) {
            String destination = route.split("\\s+")[0];
            if (!wanted.contains(destination)) {
                run("ip", "-4", "route", "delete", destination, "proto", PROTOCOL);
            }
        }
        if (peers.isEmpty()) {
            return;
        }
        run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        for (PeerSlice peer : peers) {
            run("ip", "-4", "route", "replace", peer.slice().toString(), "via", peer.host(), "proto", PROTOCOL);
        }
    }

    /** The routes Spew made, one line each as {@code ip route} prints them. */
    public List<String> routes() {
        List<String> routes = new ArrayList<>();
        for (String line : run("ip", "-4", "route", "show", "proto", PROTOCOL).split("\n")) {
            if (!line.isBlank()) {
                routes.add(line.trim());
            }
        }
        return routes;
    }

    private String run(String... arguments) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SpewException(ErrorCode.IO_ERROR, String.join(" ", command) + " did not end in "
                        + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new SpewException(ErrorCode.IO_ERROR, String.join(" ", command) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot run " + command.get(0) + ": " + e.getMessage()
                    + " (routes between hosts need iproute2 and procps)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.IO_ERROR, String.join(" ", command) + " interrupted");
        }
    }
}
