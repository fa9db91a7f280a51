package io.spew.cli;

import static io.spew.cli.ClusterLists.namesOn;
import static io.spew.cli.ClusterLists.pidOf;
import static io.spew.cli.ClusterLists.runningOn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three daemon processes on loopback made one cluster: an environment started from one host is placed over the
 * three, every host lists every instance with its host, and it stops from another host; a host left alone
 * (a minority) places nothing; a lost host's instances are placed elsewhere and its stale copies go when it
returns. Shared by the tests in order (the last kills two hosts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPlacementIT {
    private static final int HOSTS = 3;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String ENVIRONMENT = """
            appliances:
              web:
                runtime: shell
                command: ["/bin/sh", "-c", "echo ready; while sleep 1; do echo tick; done"]
                stop: { timeout: 5s }
            instances: { web: 6 }
            """;

    @TempDir
    static Path root;

    private SpewCluster cluster;
    private final List<String> ids = new ArrayList<>();
    private String file;

    @BeforeAll
    void makeTheCluster() throws IOException {
        cluster = new SpewCluster(root);
        for (int i = 0; i < HOSTS; i++) {
            cluster.add();
        }
        ids.addAll(cluster.form(SETTLE));
        file = Files.writeString(root.resolve("spew.yaml"), ENVIRONMENT).toString();
    }

    @AfterAll
    void stopEveryHost() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anEnvironmentStartedOnOneHostIsSpreadOverAllAndListedOnEach() {
        String started = cluster.host(0).ok("start", file).stdout();
        assertThat(started).contains("6 to create");

        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(SpewProcesses.eventually(SETTLE, () -> statesOf(host.getJson("/instances")).size() == 6))
                    .as("host %d: %s", i, host.getJson("/instances")).isTrue();
            JsonNode listed = host.json("ps", "--json");
            Map<String, String> hostOf = new TreeMap<>();
            Map<String, Integer> perHost = new TreeMap<>();
            for (JsonNode instance : listed) {
                assertThat(instance.get("state").asText()).as("%s", instance).isEqualTo("running");
                hostOf.put(instance.get("name").asText(), instance.get("host").asText());
                perHost.merge(instance.get("host").asText(), 1, Integer::sum);
            }
            assertThat(hostOf).as("host %d", i).containsOnlyKeys("web-1", "web-2", "web-3", "web-4", "web-5", "web-6");
            assertThat(perHost).as("spread, as host %d sees it", i).containsOnlyKeys(ids)
                    .allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
        }
        for (int i = 0; i < HOSTS; i++) {
            // each host runs exactly the instances placed on it
            long mine = cluster.host(i).json("ps", "--json").findValuesAsText("host").stream()
                    .filter(ids.get(i)::equals).count();
            assertThat(mine).isEqualTo(2);
        }
        assertThat(cluster.host(2).ok("ps").stdout()).contains("HOST", ids.get(0).substring(0, 8));
    }

    @Test
    @Order(2)
    void anotherHostPlansNothingToDoAndListsTheEnvironment() {
        assertThat(cluster.host(1).ok("plan", file).stdout()).contains("up to date");
        JsonNode environments = cluster.host(2).getJson("/environments");
        assertThat(environments).hasSize(1);
        assertThat(environments.get(0).get("file").asText()).isEqualTo(file);
        assertThat(environments.get(0).get("counts").get("web").asInt()).isEqualTo(6);
    }

    @Test
    @Order(3)
    void logsAndActionsOnAnotherHostsInstanceAreCarriedToThatHost() {
        String remote = namesOn(cluster.host(2).getJson("/instances"), ids.get(2)).get(0);
        SpewProcesses asking = cluster.host(0);
        long pidBefore = pidOf(cluster.host(2).getJson("/instances"), remote);

        assertThat(asking.ok("logs", remote).stdout()).startsWith("ready\ntick\n");
        SpewProcesses.Background follower = asking.start("logs", "-f", remote);
        assertThat(SpewProcesses.eventually(SETTLE, () -> follower.stdout().startsWith("ready\ntick\n")))
                .as("following %s from another host: %s", remote, follower.stdout()).isTrue();
        int ticks = ticks(follower.stdout());
        assertThat(SpewProcesses.eventually(SETTLE, () -> ticks(follower.stdout()) >= ticks + 2))
                .as("the follower on another host sees what the instance writes next: %s", follower.stdout()).isTrue();
        follower.process().destroy();
        Instant restartedAfter = nextSecond();
        assertThat(asking.ok("restart", remote).stdout()).contains(remote);

        assertThat(SpewProcesses.eventually(SETTLE, () -> {
            long pid = pidOf(cluster.host(2).getJson("/instances"), remote);
            return pid != pidBefore && pid > 0;
        })).as("restarted on its host").isTrue();
        String since = asking.ok("logs", "--since", restartedAfter.toString(), remote).stdout();
        assertThat(since.split("ready", -1)).as("--since on another host's instance: %s", since).hasSize(2);
        assertThat(cluster.host(2).json("ps", "--json").findValuesAsText("name")).hasSize(6);
        SpewProcesses.Result gone = asking.run("logs", "web-404");
        assertThat(gone.exitCode()).isEqualTo(3);
    }

    private static int ticks(String text) {
        return text.split("tick\n", -1).length - 1;
    }

    /** Waits for the start of the next second (log times have seconds) and returns it. */
    private static Instant nextSecond() {
        Instant next = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), next).toMillis() + 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return next;
    }

    @Test
    @Order(4)
    void aChangeRollsOverTheInstancesOfEveryHostEachHostAFewAtATime() throws IOException {
        Map<String, Long> pidsBefore = new TreeMap<>();
        for (int i = 0; i < HOSTS; i++) {
            for (String name : namesOn(cluster.host(i).getJson("/instances"), ids.get(i))) {
                pidsBefore.put(name, pidOf(cluster.host(i).getJson("/instances"), name));
            }
        }
        Files.writeString(Path.of(file), ENVIRONMENT.replace("    stop: { timeout: 5s }\n",
                "    stop: { timeout: 5s }\n    env: { RELEASE: \"2\" }\n    update: { max_parallel: 1 }\n"));
        int[] fewestRunning = {2, 2, 2};

        assertThat(cluster.host(1).ok("start", file).stdout()).contains("web");

        assertThat(SpewProcesses.eventually(SETTLE, () -> {
            boolean done = true;
            for (int i = 0; i < HOSTS; i++) {
                JsonNode instances = cluster.host(i).getJson("/instances");
                fewestRunning[i] = Math.min(fewestRunning[i], runningOn(instances, ids.get(i)));
                for (String name : namesOn(instances, ids.get(i))) {
                    long pid = pidOf(instances, name);
                    done &= pid > 0 && pid != pidsBefore.get(name) && stateOn(instances, ids.get(i), name).equals("running");
                }
            }
            return done;
        })).as("every instance replaced and running: %s", cluster.host(0).getJson("/instances")).isTrue();
        assertThat(fewestRunning).as("each host replaced one of its two at a time (max_parallel: 1)")
                .doesNotContain(0);
        for (int i = 0; i < HOSTS; i++) {
            JsonNode history = cluster.host(i).json("history", "web", "--json");
            assertThat(history.get(history.size() - 1).get("resolved").get("env").get("RELEASE").asText())
                    .as("host %d rolled to the new version", i).isEqualTo("2");
        }
        assertThat(cluster.host(0).json("ps", "--json")).hasSize(6);
    }

    @Test
    @Order(5)
    void anotherHostStopsThemAll() {
        String stopped = cluster.host(2).ok("stop", file).stdout();
        assertThat(stopped).contains("6 to stop");

        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(SpewProcesses.eventually(SETTLE, () -> {
                Map<String, String> states = statesOf(host.getJson("/instances"));
                return states.size() == 6 && states.values().stream().allMatch("stopped"::equals);
            })).as("host %d: %s", i, host.getJson("/instances")).isTrue();
        }
        assertThat(cluster.host(0).getJson("/environments")).isEmpty();
        assertThat(cluster.host(1).json("ps", "--json")).as("nothing runs").isEmpty();
    }

    @Test
    @Order(6)
    void theInstancesOfALostHostArePlacedElsewhereAndItsStaleCopiesStopWhenItReturns() {
        cluster.host(0).ok("start", file);
        int victim = HOSTS - 1;
        SpewProcesses lost = cluster.host(victim);
        List<String> stale = namesOn(lost.getJson("/instances"), ids.get(victim));
        assertThat(stale).hasSize(2);
        long killedAt = System.nanoTime();
        ProcessHandle.of(lost.daemonPid()).ifPresent(ProcessHandle::destroyForcibly); // its instances run on

        boolean moved = SpewProcesses.eventually(SETTLE, () -> {
            JsonNode all = cluster.host(0).getJson("/instances");
            return runningOn(all, ids.get(0)) + runningOn(all, ids.get(1)) == 6;
        });
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        assertThat(moved).as("%s", cluster.host(0).getJson("/instances")).isTrue();
        System.out.printf("CLUSTER host loss to its instances running elsewhere: %.1f s%n", seconds);
        assertThat(seconds).as("rescheduled within the default --reschedule-after (10 s) and 15 s for a loaded machine")
                .isLessThan(25);
        assertThat(stateOn(cluster.host(1).getJson("/instances"), ids.get(victim), stale.get(0))).isEqualTo("lost");

        SpewProcesses.Result back = lost.run("daemon", "start", "--cluster-listen", cluster.clusterListen(victim));
        assertThat(back.exitCode()).as("%s\n%s", back, lost.daemonLogTail()).isZero();

        assertThat(SpewProcesses.eventually(SETTLE, () -> namesOn(lost.getJson("/instances"), ids.get(victim)).isEmpty()))
                .as("the returned host's stale copies go: %s", lost.getJson("/instances")).isTrue();
        for (int i = 0; i < HOSTS; i++) {
            SpewProcesses host = cluster.host(i);
            assertThat(SpewProcesses.eventually(SETTLE, () -> {
                JsonNode all = host.getJson("/instances");
                return runningOn(all, ids.get(0)) + runningOn(all, ids.get(1)) == 6 && all.size() == 6;
            })).as("one copy of each, as host %d sees it: %s", i, host.getJson("/instances")).isTrue();
        }
        cluster.host(1).ok("stop", file);
    }

    private static String stateOn(JsonNode instances, String hostId, String name) {
        for (JsonNode instance : instances) {
            if (instance.get("host").asText().equals(hostId) && instance.get("name").asText().equals(name)) {
                return instance.get("state").asText();
            }
        }
        return "absent";
    }

    @Test
    @Order(7)
    void aHostLeftAloneIsAMinorityAndPlacesNothing() {
        for (int victim = 1; victim < HOSTS; victim++) {
            long pid = cluster.host(victim).daemonPid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        SpewProcesses alone = cluster.host(0);
        JsonNode before = alone.getJson("/environments");
        List<String> instancesBefore = namesOn(alone.getJson("/instances"), ids.get(0));

        SpewProcesses.Result result = alone.run("start", file);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(4);
        assertThat(result.stderrLines()).hasSize(1);
        assertThat(result.stderr()).contains("a majority");
        assertThat(alone.getJson("/environments")).isEqualTo(before);
        assertThat(namesOn(alone.getJson("/instances"), ids.get(0))).as("nothing made")
                .containsExactlyElementsOf(instancesBefore);
    }

    /** The state of each instance name of {@code GET /api/v1/instances}; running wins over a lost copy. */
    private static Map<String, String> statesOf(JsonNode instances) {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode instance : instances) {
            String name = instance.get("name").asText(); // the list carries summaries, named as in ps --json
            if (instance.get("state").asText().equals("running") || !states.containsKey(name)) {
                states.put(name, instance.get("state").asText());
            }
        }
        return states;
    }
}
