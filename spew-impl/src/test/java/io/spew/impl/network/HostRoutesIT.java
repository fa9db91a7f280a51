package io.spew.impl.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two simulated hosts, each a network namespace made by this test with one "instance" (another
 * namespace on the host's slice, default route through it), joined by a veth pair as if on one LAN.
 * Instances reach each other across hosts once each host routes the other's slice through it. All
 * traffic stays inside these namespaces, which the test removes.
 */
class HostRoutesIT {
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid());
    private static final String HOST_A = "spewt-ha" + SUFFIX;
    private static final String HOST_B = "spewt-hb" + SUFFIX;
    private static final String INSTANCE_A = "spewt-ia" + SUFFIX;
    private static final String INSTANCE_B = "spewt-ib" + SUFFIX;
    private static final PeerSlice SLICE_A = new PeerSlice(Ipv4Subnet.parse("10.233.1.0/24", "a"), "10.99.0.1");
    private static final PeerSlice SLICE_B = new PeerSlice(Ipv4Subnet.parse("10.233.2.0/24", "b"), "10.99.0.2");

    @BeforeEach
    void makeHosts() throws Exception {
        removeHosts();
        for (String namespace : List.of(HOST_A, HOST_B, INSTANCE_A, INSTANCE_B)) {
            run("ip", "netns", "add", namespace);
            run("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        run("ip", "-n", HOST_A, "link", "add", "lan", "type", "veth", "peer", "name", "lan", "netns", HOST_B);
        host(HOST_A, "lan", "10.99.0.1/24");
        host(HOST_B, "lan", "10.99.0.2/24");
        instance(HOST_A, INSTANCE_A, "10.233.1");
        instance(HOST_B, INSTANCE_B, "10.233.2");
    }

    @AfterEach
    void removeHosts() throws Exception {
        for (String namespace : List.of(INSTANCE_A, INSTANCE_B, HOST_A, HOST_B)) {
            if (java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", namespace))) {
                run("ip", "netns", "delete", namespace);
            }
        }
    }

    @Test
    void instancesReachEachOtherAcrossHostsThroughARoutePerSlice() throws Exception {
        HostRoutes a = new HostRoutes(List.of("ip", "netns", "exec", HOST_A));
        HostRoutes b = new HostRoutes(List.of("ip", "netns", "exec", HOST_B));
        assertThat(ping(INSTANCE_A, "10.233.2.2")).as("no route yet").isFalse();

        a.sync(List.of(SLICE_B));
        b.sync(List.of(SLICE_A));
        assertThat(ping(INSTANCE_A, "10.233.2.2")).as("instance on A reaches instance on B").isTrue();
        assertThat(ping(INSTANCE_B, "10.233.1.2")).as("and back").isTrue();
        assertThat(a.routes()).singleElement().isEqualTo("10.233.2.0/24 via 10.99.0.2 dev lan");

        a.sync(List.of(SLICE_B));
        assertThat(a.routes()).as("idempotent").hasSize(1);

        a.sync(List.of());
        assertThat(a.routes()).as("a slice no longer listed loses its route").isEmpty();
        assertThat(run("ip", "-n", HOST_A, "-4", "route", "show")).as("other routes stay").contains("10.99.0.0/24");
        assertThat(ping(INSTANCE_A, "10.233.2.2")).isFalse();
    }

    private static void host(String namespace, String device, String cidr) throws Exception {
        run("ip", "-n", namespace, "addr", "add", cidr, "dev", device);
        run("ip", "-n", namespace, "link", "set", device, "up");
    }

    /** An instance namespace on a host's slice {@code PREFIX.0/24}: the host holds .1, the instance .2. */
    private static void instance(String host, String instance, String prefix) throws Exception {
        run("ip", "-n", host, "link", "add", "inst", "type", "veth", "peer", "name", "eth0", "netns", instance);
        host(host, "inst", prefix + ".1/24");
        host(instance, "eth0", prefix + ".2/24");
        run("ip", "-n", instance, "route", "add", "default", "via", prefix + ".1");
    }

    private static boolean ping(String namespace, String address) throws Exception {
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "busybox", "ping", "-c", "1", "-W", "1",
                address).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
