package io.spew.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Stops every host's daemon; the first failure is thrown after all were tried. */
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
        if (failure != null) {
            throw failure;
        }
    }
}
