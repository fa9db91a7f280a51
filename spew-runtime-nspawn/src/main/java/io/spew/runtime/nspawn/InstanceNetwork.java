package io.spew.runtime.nspawn;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network of one container with {@code network: private}, made with iproute2 before nspawn starts
 * so that the command finds it ready: a network namespace {@code spew-<instance id>} holding
 * {@code lo} and {@code eth0} (the instance's address, default route through the host), whose veth
 * peer {@code spew<id>} is a port of the host's bridge ({@code spew0}, holding the gateway address).
 * nspawn joins the namespace ({@code --network-namespace-path}); the container's {@code /etc/resolv.conf}
 * names the gateway and its {@code /etc/hosts} its own name. Removing the namespace removes the veth
 * pair; the bridge goes with its last port. Every name starts with {@code spew}.
 */
final class InstanceNetwork {
    static final String DEFAULT_BRIDGE = "spew0";
    private static final System.Logger LOG = System.getLogger(InstanceNetwork.class.getName());
    /** Bridges are made and removed under this lock, so no start loses its bridge to an ending container. */
    private static final Object BRIDGES = new Object();
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final String instanceId;
    private final NetworkSettings settings;

    InstanceNetwork(String instanceId, NetworkSettings settings) {
        this.instanceId = requireNonNull(instanceId, "instanceId is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (!instanceId.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("not an instance id: " + instanceId);
        }
    }

    /** The instance's network namespace, as {@code ip netns} names it. */
    static String namespace(String instanceId) {
        return "spew-" + instanceId;
    }

    /** The host end of the instance's veth pair (interface names have at most 15 characters). */
    static String hostInterface(String instanceId) {
        return "spew" + instanceId.substring(0, 11);
    }

    /**
     * Makes the namespace, the veth pair and (if missing) the bridge, and writes the container's
     * resolv.conf and hosts into {@code directory}; returns nspawn's arguments for them.
     */
    List<String> create(Path directory, String hostname) {
        if (settings.address() == null || settings.gateway() == null) {
            throw new SpewException(ErrorCode.START_FAILED, "runtime nspawn: network private needs an address and a"
                    + " gateway: run the instance through the engine, which leases them from this host's slice");
        }
        remove(); // what an earlier container of this instance may have left
        String namespace = namespace(instanceId);
        String veth = hostInterface(instanceId);
        try {
            // Two ip processes (one per namespace), each running a batch: a process each would cost more than the rest.
            synchronized (BRIDGES) {
                List<String> host = new ArrayList<>();
                if (!exists(settings.bridge())) {
                    host.add("link add " + settings.bridge() + " type bridge");
                }
                host.add("addr replace " + settings.gatewayCidr() + " dev " + settings.bridge());
                host.add("link set " + settings.bridge() + " up");
                host.add("netns add " + namespace);
                host.add("link add " + veth + " type veth peer name eth0 netns " + namespace);
                host.add("link set " + veth + " master " + settings.bridge() + " up");
                batch(List.of(), host);
            }
            batch(List.of("-n", namespace), List.of("link set lo up", "addr add " + settings.address() + " dev eth0",
                    "link set eth0 up", "route add default via " + settings.gateway()));
            Path files = directory.resolve("network");
            Files.createDirectories(files);
            Files.writeString(files.resolve("resolv.conf"), "nameserver " + settings.gateway() + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(files.resolve("hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n" + settings.host() + "\t"
                    + hostname + "\n", StandardCharsets.UTF_8);
            return List.of("--network-namespace-path=/run/netns/" + namespace, "--resolv-conf=off",
                    "--bind-ro=" + files.resolve("resolv.conf") + ":/etc/resolv.conf",
                    "--bind-ro=" + files.resolve("hosts") + ":/etc/hosts");
        } catch (IOException | RuntimeException e) {
            remove();
            if (e instanceof SpewException spew) {
                throw spew;
            }
            throw new SpewException(ErrorCode.START_FAILED, "cannot make the network of instance " + instanceId + ": " + e);
        }
    }

    /** Removes the namespace (and with it the veth pair), then the bridge if it has no port left. Idempotent. */
    void remove() {
        remove(instanceId, settings.bridge());
    }

    static void remove(String instanceId, String bridge) {
        String namespace = namespace(instanceId);
        try {
            // The veth pair first: a namespace's devices go asynchronously once it is deleted.
            if (exists(hostInterface(instanceId))) {
                ip("link", "delete", hostInterface(instanceId));
            }
            if (Files.exists(Path.of("/run/netns", namespace))) {
                ip("netns", "delete", namespace);
            }
            synchronized (BRIDGES) {
                if (exists(bridge) && run("link", "show", "master", bridge).isBlank()) {
                    ip("link", "delete", bridge);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the network of instance " + instanceId + ": "
                    + e.getMessage());
        }
    }

    /**
     * Whether the link is in this process's network namespace: read from {@code /proc/self/net/dev}, which
     * is the namespace's, not from {@code /sys/class/net}, which is that of whoever mounted {@code /sys} (a
     * daemon that entered a namespace of its own, as {@code nsenter --net} does, would see the host's links).
     */
    static boolean exists(String link) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/net/dev"), StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(link)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot read this host's links in /proc/self/net/dev: " + e);
        }
    }

    private static void ip(String... arguments) {
        run(List.of(arguments), null);
    }

    private static String run(String... arguments) {
        return run(List.of(arguments), null);
    }

    /** Runs {@code ip OPTIONS -batch -} with {@code commands} (iproute2's syntax, one per line, no quoting). */
    private static void batch(List<String> options, List<String> commands) {
        List<String> arguments = new ArrayList<>(options);
        arguments.addAll(List.of("-batch", "-"));
        run(arguments, String.join("\n", commands) + "\n");
    }

    /**
     * Runs {@code ip} with the arguments, {@code input} (if any) as its standard input, and returns its output;
     * throws {@code START_FAILED} if it fails.
     */
    private static String run(List<String> arguments, String input) {
        Path ip = HostTools.system().tool("ip").orElseThrow(() -> new SpewException(ErrorCode.START_FAILED,
                "ip not found: install iproute2 (apt-get install iproute2) to give nspawn instances a network"));
        List<String> command = new ArrayList<>();
        command.add(ip.toString());
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SpewException(ErrorCode.START_FAILED, String.join(" ", command) + " did not end in "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new SpewException(ErrorCode.START_FAILED, String.join(" ", command) + " failed: "
                        + text.replace('\n', ' '));
            }
            return text;
        } catch (IOException e) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.START_FAILED, String.join(" ", command) + " interrupted");
        }
    }
}
