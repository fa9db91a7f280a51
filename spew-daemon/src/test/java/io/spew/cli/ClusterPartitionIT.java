package io.spew.cli;

import static io.spew.cli.ClusterLists.allUpWithRuntimes;
import static io.spew.cli.ClusterLists.hostState;
import static io.spew.cli.ClusterLists.runningOn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemon processes, each in a network namespace of its own on a LAN the test makes ({@link NamespaceLan}),
 * made one cluster; then one host's cable is pulled. The host cut off is a minority: it places nothing, starts
 * nothing and its desired state stays as it was, while the two others place its instances among them and take a
 * new count. With the cable back there is one state again: the returned host takes the majority's and stops its
 * stale copies. Shared by the tests in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPartitionIT {
    private static final int HOSTS = 3;
    private static final int VICTIM = HOSTS - 1;
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String ENVIRONMENT = """
            appliances:
              web:
                runtime: shell
                command: ["/bin/sh", "-c", "echo ready; exec sleep 600"]
                stop: { timeout: 5s }
            instances: { web: %d }
            """;

    @TempDir
    static Path root;

    private NamespaceLan lan;
    private SpewCluster cluster;
    private final List<String> ids = new ArrayList<>();
    private String file;
    private Set<String> staleIds;

    @BeforeAll
    void makeTheClusterOnItsLan() throws IOException {
        lan = NamespaceLan.create(HOSTS);
        cluster = SpewCluster.formOnLan(root, lan, HOSTS, SETTLE);
        for (int i = 0; i < HOSTS; i++) {
            ids.add(Files.readString(cluster.host(i).dataDirectory().resolve("cluster/host-id"), UTF_8).strip());
        }
        file = root.resolve("spew.yaml").toString();
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
    void anEnvironmentIsSpreadOverTheThreeNamespaces() {
        assertThat(cluster.host(0).ok("start", fileOf(6)).stdout()).contains("6 to create");

        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(settles(() -> {
                JsonNode all = host.getJson("/instances");
                return ids.stream().allMatch(id -> runningOn(all, id) == 2);
            })).as("host %d: %s", i, host.getJson("/instances")).isTrue();
        }
        staleIds = idsOn(cluster.host(VICTIM).json("ps", "--json"), ids.get(VICTIM));
        assertThat(staleIds).hasSize(2);
    }

    @Test
    @Order(2)
    void theHostCutOffPlacesNothingWhileTheMajorityPlacesItsInstancesAndTakesANewCount() {
        SpewProcesses minority = cluster.host(VICTIM);
        JsonNode desiredBefore = minority.getJson("/environments");
        long cutAt = System.nanoTime();

        lan.cut(VICTIM);

        SpewProcesses majority = cluster.host(0);
        assertThat(settles(() -> {
            JsonNode all = majority.getJson("/instances");
            return runningOn(all, ids.get(0)) + runningOn(all, ids.get(1)) == 6;
        })).as("placed on the majority: %s", majority.getJson("/instances")).isTrue();
        System.out.printf("CLUSTER partition to the minority's instances running on the majority: %.1f s%n",
                (System.nanoTime() - cutAt) / 1e9);
        assertThat(hostState(majority.getJson("/hosts"), ids.get(VICTIM))).isEqualTo("lost");
        assertThat(settles(() -> {
            JsonNode hosts = minority.getJson("/hosts");
            return !hostState(hosts, ids.get(0)).equals("up") && !hostState(hosts, ids.get(1)).equals("up");
        })).as("the minority sees the others gone: %s", minority.getJson("/hosts")).isTrue();

        SpewProcesses.Result refused = minority.run("start", fileOf(9));

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(4);
        assertThat(refused.stderrLines()).hasSize(1);
        assertThat(refused.stderr()).startsWith("spew: ").contains("a majority");
        assertThat(minority.getJson("/environments")).as("the minority's desired state").isEqualTo(desiredBefore);
        assertThat(idsOn(minority.json("ps", "--json"), ids.get(VICTIM))).as("nothing placed or started there")
                .isEqualTo(staleIds);

        cluster.host(1).ok("start", fileOf(8)); // the majority takes a new count
        assertThat(settles(() -> {
            JsonNode all = majority.getJson("/instances");
            return runningOn(all, ids.get(0)) + runningOn(all, ids.get(1)) == 8;
        })).as("8 on the majority: %s", majority.getJson("/instances")).isTrue();
        assertThat(idsOn(minority.json("ps", "--json"), ids.get(VICTIM))).as("still nothing new on the minority")
                .isEqualTo(staleIds);
    }

    @Test
    @Order(3)
    void withTheCableBackThereIsOneStateAndTheStaleCopiesAreStopped() {
        long healedAt = System.nanoTime();

        lan.heal(VICTIM);

        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(settles(() -> allUpWithRuntimes(host.getJson("/hosts"), HOSTS) && oneCopyOfEach(host)))
                    .as("host %d: %s\n%s", i, host.getJson("/hosts"), host.getJson("/instances")).isTrue();
        }
        System.out.printf("CLUSTER cable back to one state: %.1f s%n", (System.nanoTime() - healedAt) / 1e9);
        JsonNode desired = cluster.host(0).getJson("/environments");
        assertThat(desired.get(0).get("counts").get("web").asInt()).isEqualTo(8);
        Map<String, String> placed = placements(cluster.host(0).json("ps", "--json"));
        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(host.getJson("/environments")).as("desired state on host %d", i).isEqualTo(desired);
            JsonNode listed = host.json("ps", "--json");
            assertThat(placements(listed)).as("ps on host %d", i).isEqualTo(placed);
            assertThat(listed.findValuesAsText("id")).as("stale copies stopped").doesNotContainAnyElementsOf(staleIds);
        }
        assertThat(placed).hasSize(8);
    }

    /** Whether {@code condition} holds within {@link #SETTLE}; a daemon that does not answer yet is not there yet. */
    private static boolean settles(BooleanSupplier condition) {
        return SpewProcesses.eventually(SETTLE, () -> {
            try {
                return condition.getAsBoolean();
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    /** The environment file, now asking for {@code count} instances. */
    private String fileOf(int count) {
        try {
            return Files.writeString(Path.of(file), ENVIRONMENT.formatted(count)).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every instance runs once, on a host that is up, and none is listed twice. */
    private boolean oneCopyOfEach(SpewProcesses host) {
        JsonNode all = host.getJson("/instances");
        Set<String> names = new TreeSet<>();
        for (JsonNode instance : all) {
            if (!instance.get("state").asText().equals("running") || !names.add(instance.get("name").asText())) {
                return false;
            }
        }
        return names.size() == 8;
    }

    /** Instance name to host, as {@code ps --json} lists them. */
    private static Map<String, String> placements(JsonNode listed) {
        Map<String, String> placements = new TreeMap<>();
        for (JsonNode instance : listed) {
            placements.put(instance.get("name").asText(), instance.get("host").asText());
        }
        return placements;
    }

    private static Set<String> idsOn(JsonNode listed, String hostId) {
        Set<String> found = new TreeSet<>();
        for (JsonNode instance : listed) {
            if (instance.get("host").asText().equals(hostId)) {
                found.add(instance.get("id").asText());
            }
        }
        return found;
    }
}
