package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several hosts on this machine for tests: each a {@link SpewProcesses} of its own data directory, its daemon
 * on {@code --listen 127.0.0.1:0} (through {@code SPEW_LISTEN}) and a free loopback port for the cluster, or the
 * cluster address given.
 */
final class SpewCluster implements AutoCloseable {
    private final List<SpewProcesses> hosts = new ArrayList<>();
    private final List<String> clusterListens = new ArrayList<>();
    private final Path root;
    /** The LAN the hosts are on ({@link #formOnLan}), removed after them; null for hosts on loopback. */
    private NamespaceLan lan;

    SpewCluster(Path root) {
        this.root = root;
    }

    /** Adds a host (its data directory and scratch under the root) and returns its index. */
    int add() {
        return add("127.0.0.1:" + freePort());
    }

    /** Adds a host that listens for the cluster on {@code clusterListen} ({@code ADDR:PORT}). */
    int add(String clusterListen) {
        int index = hosts.size();
        try {
            Path data = Files.createDirectories(root.resolve("host-" + index + "/data"));
            Path scratch = Files.createDirectories(root.resolve("host-" + index + "/scratch"));
            hosts.add(new SpewProcesses(data, scratch));
            clusterListens.add(clusterListen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }

    /**
     * {@code hosts} hosts in the namespaces of {@code lan}, each listening for the cluster on its LAN address,
     * made one cluster (the first inits it, the others join) and listing every member up within {@code settle}.
     */
    static SpewCluster formOnLan(Path root, NamespaceLan lan, int hosts, Duration settle) {
        SpewCluster cluster = new SpewCluster(root);
        cluster.lan = lan;
        for (int i = 0; i < hosts; i++) {
            cluster.add(lan.address(i) + ":7800");
            cluster.host(i).networkNamespace(lan.namespace(i));
        }
        List<String> lines = cluster.host(0).ok("cluster", "init", "--cluster-listen", cluster.clusterListen(0))
                .stdout().lines().toList();
        for (int i = 1; i < hosts; i++) {
            cluster.host(i).ok("cluster", "join", "--cluster-listen", cluster.clusterListen(i),
                    lines.get(lines.size() - 1));
        }
        for (int i = 0; i < hosts; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(SpewProcesses.settles(settle, () -> ClusterLists.allUpWithRuntimes(host.getJson("/hosts"), hosts)))
                    .as("host %d lists %d hosts up: %s", i, hosts, host.getJson("/hosts")).isTrue();
        }
        return cluster;
    }

    /**
     * Makes the hosts added so far one cluster: host 0's daemon starts and inits it, the others join with its
     * token; returns once every host lists every host up with its runtimes (within {@code settle}), with the id of
     * each host in order.
     *
     * @param daemonOptions options of {@code daemon start} every host keeps (such as {@code --reschedule-after})
     */
    List<String> form(Duration settle, String... daemonOptions) {
        for (int i = 0; i < size(); i++) {
            if (i == 0 || daemonOptions.length > 0) {
                List<String> start = new ArrayList<>(List.of("daemon", "start", "--cluster-listen", clusterListen(i)));
                start.addAll(List.of(daemonOptions));
                host(i).ok(start.toArray(String[]::new));
            }
        }
        List<String> lines = host(0).ok("cluster", "init").stdout().lines().toList();
        String token = lines.get(lines.size() - 1);
        for (int i = 1; i < size(); i++) {
            host(i).ok("cluster", "join", "--cluster-listen", clusterListen(i), token);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            SpewProcesses host = host(i);
            try {
                ids.add(Files.readString(host.dataDirectory().resolve("cluster/host-id"), UTF_8).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(SpewProcesses.eventually(settle, () -> ClusterLists.allUpWithRuntimes(host.getJson("/hosts"),
                    size()))).as("host %d: %s", i, host.getJson("/hosts")).isTrue();
        }
        return ids;
    }

    SpewProcesses host(int index) {
        return hosts.get(index);
    }

    /** {@code ADDR:PORT}, where host {@code index} listens for the cluster ({@code 127.0.0.1:PORT} unless given). */
    String clusterListen(int index) {
        return clusterListens.get(index);
    }

    int size() {
        return hosts.size();
    }

    static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }

    /**
     * Stops every host's daemon, then removes the LAN it was formed on, if any; the first failure is thrown after
     * all were tried.
     */
    @Override
    public void close() {
        AssertionError failure = null;
        for (SpewProcesses host : hosts) {
            try {
                host.close();
            } catch (AssertionError | RuntimeException e) {
                failure = failure == null ? new AssertionError(e) : failure;
            }
        }
        if (lan != null) {
            lan.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
