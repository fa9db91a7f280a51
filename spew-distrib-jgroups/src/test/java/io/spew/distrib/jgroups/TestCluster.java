package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.fail;

import io.spew.host.HostState;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Members on 127.0.0.1 with short timeouts, for tests of several members in one JVM. */
final class TestCluster implements AutoCloseable {
    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    static final long DEADLINE_MILLIS = 20_000;

    final List<Integer> ports = new ArrayList<>();
    private final List<JGroupsClusterTransport> started = new ArrayList<>();

    /** A cluster whose seeds are {@code size} fresh ports; nothing is started yet. */
    TestCluster(int size) {
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
        }
    }

    static Member member(String id) {
        return new Member(id, id + ".example", "127.0.0.1", Map.of("zone", "z-" + id));
    }

    /** Settings for the member on port {@code index} with the cluster's seeds and {@code key}. */
    Map<String, String> settings(int index, String key) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("bind-address", "127.0.0.1");
        settings.put("port", Integer.toString(ports.get(index)));
        settings.put("initial-members", ports.stream().map(port -> "127.0.0.1[" + port + "]").collect(Collectors.joining(",")));
        settings.put("cluster-name", "spew-test");
        settings.put("cluster-key", key);
        settings.put("join-timeout-ms", "1000");
        settings.put("failure-timeout-ms", "2000");
        settings.put("verify-timeout-ms", "500");
        settings.put("merge-interval-ms", "2000");
        return settings;
    }

    /** Starts the member on port {@code index}; closed with the cluster. */
    JGroupsClusterTransport start(int index, Member member, String key) {
        JGroupsClusterTransport transport = new JGroupsClusterTransport(JGroupsSettings.parse(settings(index, key)), member);
        started.add(transport);
        transport.start();
        return transport;
    }

    /** Starts members {@code host-0 ... host-(n-1)} and waits until each sees all up. */
    List<JGroupsClusterTransport> startAll() {
        List<JGroupsClusterTransport> transports = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            transports.add(start(i, member("host-" + i), KEY));
        }
        for (JGroupsClusterTransport transport : transports) {
            awaitUp(transport, ports.size());
        }
        return transports;
    }

    static void awaitUp(JGroupsClusterTransport transport, int count) {
        await(() -> upCount(transport.members()) == count && transport.members().size() >= count,
                () -> "wait for " + count + " members up, have " + transport.members());
    }

    static long upCount(List<MemberStatus> members) {
        return members.stream().filter(status -> status.state() == HostState.UP).count();
    }

    static HostState stateOf(JGroupsClusterTransport transport, String id) {
        return transport.members().stream().filter(status -> status.member().id().equals(id))
                .map(MemberStatus::state).findFirst().orElse(null);
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out: " + what.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted: " + what.get());
            }
        }
    }

    static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
