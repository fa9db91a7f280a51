package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The appliance's {@code config:} for the nspawn runtime, every key optional:
 *
 * <ul>
 *   <li>{@code root}: a directory to use as the read-only lower layer instead of the build's rootfs
 *   <li>{@code bind}, {@code bind-ro}: comma-separated {@code HOST[:CONTAINER]} paths bound read-write or read-only
 *   <li>{@code tmpfs}: comma-separated paths in the container that get a fresh tmpfs
 *   <li>{@code private-network}: {@code true} for a network namespace of its own (loopback only)
 *   <li>{@code network}: {@code private} for an address of its own on the host's instance bridge
 *       ({@link InstanceNetwork}); the engine then adds {@code address} ({@code A.B.C.D/N}) and
 *       {@code gateway}, leased from the host's slice of the instance subnet; {@code bridge} names the
 *       bridge (default {@value InstanceNetwork#DEFAULT_BRIDGE})
 *   <li>{@code ports}: comma-separated (in YAML also a list) {@code HOST:CONTAINER} or
 *       {@code FIRST-LAST:CONTAINER} ({@link PublishedPort}), published on every address of the host
 *       by {@link PortProxy}, or on the one an entry starts with ({@code [::1]:8080:80}); needs
 *       {@code network: private}
 *   <li>{@code hostname}: the container's host name (default: the instance name)
 *   <li>{@code memory}, {@code cpus}, {@code pids}: limits ({@link Limits})
 * </ul>
 *
 * Unknown keys are refused.
 */
record NspawnConfig(String root, List<String> bind, List<String> bindReadOnly, List<String> tmpfs,
        boolean privateNetwork, String hostname, Limits limits, NetworkSettings network, List<PublishedPort> ports) {
    static final Set<String> KEYS = Set.of("root", "bind", "bind-ro", "tmpfs", "private-network", "hostname",
            "memory", "cpus", "pids", "network", "address", "gateway", "bridge", "ports");

    NspawnConfig {
        bind = List.copyOf(bind);
        bindReadOnly = List.copyOf(bindReadOnly);
        tmpfs = List.copyOf(tmpfs);
        ports = List.copyOf(ports);
    }

    static NspawnConfig parse(Map<String, String> config) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw invalid("runtime nspawn has no config key " + String.join(", ", unknown) + " (keys: "
                    + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        String network = config.getOrDefault("private-network", "false").trim();
        if (!network.equals("true") && !network.equals("false")) {
            throw invalid("runtime nspawn: private-network must be true or false, not '" + network + "'");
        }
        List<String> bind = paths(config, "bind");
        List<String> bindReadOnly = paths(config, "bind-ro");
        List<String> tmpfs = paths(config, "tmpfs");
        for (String path : tmpfs) {
            if (path.contains(":")) {
                throw invalid("runtime nspawn: tmpfs takes container paths, not '" + path + "'");
            }
        }
        String root = config.get("root");
        if (root != null && !root.startsWith("/")) {
            throw invalid("runtime nspawn: root must be an absolute path, not '" + root + "'");
        }
        NetworkSettings instanceNetwork = NetworkSettings.parse(config);
        if (instanceNetwork.enabled() && network.equals("true")) {
            throw invalid("runtime nspawn: network private and private-network true exclude each other: keep one");
        }
        List<PublishedPort> ports = PublishedPort.parseAll(config.get("ports"));
        if (!ports.isEmpty() && !instanceNetwork.enabled()) {
            throw invalid("runtime nspawn: ports need network: private (an instance on the host's network"
                    + " listens on the host's ports itself)");
        }
        return new NspawnConfig(root, bind, bindReadOnly, tmpfs, network.equals("true"), config.get("hostname"),
                Limits.parse(config), instanceNetwork, ports);
    }

    private static List<String> paths(Map<String, String> config, String key) {
        List<String> paths = new ArrayList<>();
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return paths;
        }
        for (String item : value.split(",")) {
            String path = item.trim();
            if (!path.startsWith("/") || path.contains("::") || path.split(":").length > 2) {
                throw invalid("runtime nspawn: " + key + " takes absolute paths HOST[:CONTAINER], not '" + path + "'");
            }
            paths.add(path);
        }
        return paths;
    }

    private static SpewException invalid(String message) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, message);
    }
}
