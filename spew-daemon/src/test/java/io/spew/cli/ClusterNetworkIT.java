package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import io.spew.testing.BusyboxRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes, each in a network namespace of its own on a LAN the test makes ({@link NamespaceLan}),
 * made one cluster: each claims a slice of the instance subnet in the cluster's replicated state and routes the
 * other's slice through the other's LAN address, so a busybox container with {@code network: private} on the
 * first host fetches a page from one on the second by its instance address. When the second leaves the cluster,
 * its slice and the routes to it go. All traffic stays in the test's namespaces (instance bridge
 * {@value #BRIDGE} in each); shared by the tests in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNetworkIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String BRIDGE = "spewcnet0";
    /** Machine names are the machine's, whatever the namespace: names no other test has. */
    private static final String SERVER = "netserver" + ProcessHandle.current().pid();
    private static final String CLIENT = "netclient" + ProcessHandle.current().pid();
    private static final String SERVE = "mkdir -p /www && echo \"hello from $SPEW_INSTANCE_NAME\" > /www/index.html"
            + " && echo \"ready $SPEW_INSTANCE_ADDRESS\" && exec httpd -f -p 80 -h /www";
    private static final String FETCH = "ip -4 addr show eth0; ip route;"
            + " for i in $(seq 300); do out=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 \"$TARGET\" 80);"
            + " if echo \"$out\" | grep -q hello; then echo \"$out\"; echo \"fetched from $TARGET\"; exec sleep 1000; fi;"
            + " sleep 0.1; done; echo unreachable; exit 1";
    private static final Pattern READY = Pattern.compile("ready (\\d+\\.\\d+\\.\\d+\\.\\d+)");

    @TempDir
    static Path root;

    private NamespaceLan lan;
    private SpewCluster cluster;
    private final List<String> ids = new ArrayList<>();
    private String serverAddress;

    @BeforeAll
    void makeTheClusterOnItsLan() throws Exception {
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        assertThat(nspawn.passed()).as("nspawn must run here (root, systemd-container): %s", nspawn.reason()).isTrue();
        lan = NamespaceLan.create(2);
        cluster = SpewCluster.formOnLan(root, lan, 2, SETTLE);
        for (int i = 0; i < 2; i++) {
            ids.add(Files.readString(cluster.host(i).dataDirectory().resolve("cluster/host-id"), UTF_8).strip());
        }
        Path box = BusyboxRoot.make(root.resolve("box"), "exec sleep 1000");
        for (int i = 0; i < 2; i++) {
            SpewProcesses host = cluster.host(i);
            host.buildAndImport(box, "box", "1", root.resolve("box-" + i + ".tar.gz"));
            host.ok("appliance", "apply", appliance(i == 0 ? CLIENT : SERVER, i == 0 ? FETCH : SERVE).toString());
        }
    }

    @AfterAll
    void removeTheClusterAndItsLan() {
        if (cluster != null) {
            cluster.close(); // and its LAN
        } else if (lan != null) {
            lan.close(); // the cluster did not form: what runs in its namespaces goes with them
        }
    }

    @Test
    @Order(1)
    void eachHostHoldsASliceOfItsOwnAndRoutesTheOthersThroughItsAddress() {
        for (int i = 0; i < 2; i++) {
            int host = i;
            String other = lan.address(1 - i);
            assertThat(settles(() -> routes(host).matches("10\\.77\\.\\d+\\.0/24 via " + other + " dev eth0")))
                    .as("host %d routes the other's slice through %s: '%s'\n%s", i, other, routes(i),
                            cluster.host(i).daemonLogTail()).isTrue();
        }
        assertThat(slice(routes(0))).as("two slices").isNotEqualTo(slice(routes(1)));
    }

    @Test
    @Order(2)
    void aContainerOnOneHostReachesAContainerOnTheOtherByItsAddress() {
        SpewProcesses first = cluster.host(0);
        SpewProcesses second = cluster.host(1);
        second.ok("run", SERVER);
        String serverName = SERVER + "-1";
        assertThat(settles(() -> READY.matcher(second.run("logs", serverName).stdout()).find()))
                .as("%s ready: %s", serverName, second.run("logs", serverName)).isTrue();
        Matcher ready = READY.matcher(second.run("logs", serverName).stdout());
        assertThat(ready.find()).isTrue();
        serverAddress = ready.group(1);
        assertThat(serverAddress + "/24").as("in the second host's slice").startsWith(slice(routes(0)).replace(".0/24", "."));

        first.ok("run", CLIENT, "--set", "target=" + serverAddress);

        String clientName = CLIENT + "-1";
        assertThat(settles(() -> first.run("logs", clientName).stdout().contains("fetched from " + serverAddress)))
                .as("%s: %s", clientName, first.run("logs", clientName)).isTrue();
        String log = first.run("logs", clientName).stdout();
        assertThat(log).contains("hello from " + serverName).contains("inet " + slice(routes(1)).replace(".0/24", "."));
    }

    @Test
    @Order(3)
    void aRestartedDaemonKeepsItsSliceItsRoutesStayMeanwhileAndItsNewContainersReachTheOtherHost() throws IOException {
        SpewProcesses first = cluster.host(0);
        String toFirst = routes(1);
        String toSecond = routes(0);

        first.ok("daemon", "stop");
        assertThat(routes(0)).as("a stopped daemon leaves its routes").isEqualTo(toSecond);
        first.ok("daemon", "start");

        assertThat(settles(() -> ClusterLists.allUpWithRuntimes(first.getJson("/hosts"), 2)))
                .as("%s", first.getJson("/hosts")).isTrue();
        assertThat(Files.readString(first.dataDirectory().resolve("network/slice"), UTF_8).strip())
                .isEqualTo(slice(toFirst));
        first.ok("run", CLIENT, "--set", "target=" + serverAddress);
        String clientName = CLIENT + "-2";
        assertThat(settles(() -> first.run("logs", clientName).stdout().contains("fetched from " + serverAddress)))
                .as("%s: %s", clientName, first.run("logs", clientName)).isTrue();
        assertThat(first.run("logs", clientName).stdout()).contains("inet " + slice(toFirst).replace(".0/24", "."));
        assertThat(routes(0)).isEqualTo(toSecond);
        assertThat(routes(1)).as("the other host routes the same slice to it").isEqualTo(toFirst);
    }

    @Test
    @Order(4)
    void aHostThatLeavesGivesItsSliceBackAndTheRoutesToItGo() {
        // The daemon restarted above: until the two hosts have elected a leader, leaving fails (exit 4) and changes nothing.
        List<SpewProcesses.Result> tries = new ArrayList<>();
        assertThat(settles(() -> {
            SpewProcesses.Result leave = cluster.host(1).run("cluster", "leave");
            tries.add(leave);
            return leave.exitCode() == 0;
        })).as("left: %s", tries).isTrue();
        assertThat(tries.subList(0, tries.size() - 1)).as("tries before the leader").allMatch(leave -> leave.exitCode() == 4);

        assertThat(settles(() -> routes(0).isEmpty())).as("host 0's route to the slice gone: '%s'", routes(0)).isTrue();
        assertThat(routes(1)).as("the host that left routes nothing").isEmpty();
        assertThat(cluster.host(1).dataDirectory().resolve("network/slice")).doesNotExist();
    }

    private Path appliance(String name, String script) throws IOException {
        return Files.writeString(root.resolve(name + ".yaml"), """
                name: %s
                runtime: nspawn
                build: box@1
                restart: never
                options: { target: "" }
                env: { TARGET: "${target}" }
                command: ["/bin/sh", "-c", %s]
                stop: { signal: KILL, timeout: 5s }
                config: { network: private, bridge: %s }
                """.formatted(name, quoted(script), BRIDGE), UTF_8);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The routes Spew made in host {@code index}'s namespace (protocol 177), one line each. */
    private String routes(int index) {
        try {
            Process ip = new ProcessBuilder("ip", "-n", lan.namespace(index), "-4", "route", "show", "proto", "177")
                    .redirectErrorStream(true).start();
            String output = new String(ip.getInputStream().readAllBytes(), UTF_8).strip();
            assertThat(ip.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The slice a route line names. */
    private static String slice(String route) {
        return route.split(" ")[0];
    }

    private static boolean settles(BooleanSupplier condition) {
        return SpewProcesses.eventually(SETTLE, () -> {
            try {
                return condition.getAsBoolean();
            } catch (AssertionError e) {
                return false;
            }
        });
    }
}
