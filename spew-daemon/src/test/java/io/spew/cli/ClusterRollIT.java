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
 * Three daemon processes on loopback made one cluster, two instances of an appliance on each: a rollback, a
 * promotion and a rolling restart asked on any host roll the instances of every host, each host a few at a
 * time, and every host lists the same versions; a host down during a restart restarts its instances when it comes
 * back; without a majority they fail and change nothing. Shared by the tests in order (the last kills two hosts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRollIT {
    private static final int HOSTS = 3;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String ENVIRONMENT = """
            appliances:
              web:
                runtime: shell
                command: ["/bin/sh", "-c", "echo ready; while sleep 1; do echo tick; done"]
                stop: { timeout: 5s }
                update: { max_parallel: 1 }
            instances: { web: 6 }
            """;

    @TempDir
    static Path root;

    private SpewCluster cluster;
    private final List<String> ids = new ArrayList<>();
    private Path file;

    @BeforeAll
    void makeTheClusterAndStartVersionOne() throws IOException {
        cluster = new SpewCluster(root);
        for (int i = 0; i < HOSTS; i++) {
            cluster.add();
        }
        ids.addAll(cluster.form(SETTLE, "--reschedule-after", "60s")); // a host down a little is not lost
        file = Files.writeString(root.resolve("spew.yaml"), ENVIRONMENT);
        cluster.host(0).ok("start", file.toString());
        for (int i = 0; i < HOSTS; i++) {
            int host = i;
            assertThat(SpewProcesses.eventually(SETTLE, () -> runningOn(cluster.host(host).getJson("/instances"),
                    ids.get(host)) == 2)).as("host %d: %s", i, cluster.host(i).getJson("/instances")).isTrue();
        }
    }

    @AfterAll
    void stopEveryHost() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aRollbackOnAnotherHostRollsEveryHostBack() throws IOException {
        Files.writeString(file, ENVIRONMENT.replace("    update:", "    env: { RELEASE: \"2\" }\n    update:"));
        cluster.host(1).ok("start", file.toString());
        assertThat(SpewProcesses.eventually(SETTLE, () -> everyInstanceRuns("2"))).as("version 2 everywhere: %s",
                cluster.host(0).getJson("/instances")).isTrue();
        Map<String, Long> before = pids();

        String rolled = cluster.host(2).ok("rollback", "web").stdout();

        assertThat(rolled).contains("web is at version 3 (rollback to 1)");
        for (String id : ids) {
            assertThat(rolled).as("the progress of every host's part").contains("roll web on " + id.substring(0, 8)
                    + ": done, 2/2");
        }
        assertThat(SpewProcesses.eventually(SETTLE, () -> everyInstanceRuns(null))).as("version 1's values everywhere")
                .isTrue();
        assertThat(SpewProcesses.eventually(SETTLE, () -> allReplaced(before, pids()))).as("every pid changed: %s",
                pids()).isTrue();
        JsonNode history = cluster.host(0).json("history", "web", "--json");
        assertThat(history).hasSize(3);
        assertThat(history.get(2).get("note").asText()).isEqualTo("rollback to 1");
        assertThat(history.get(2).get("resolved").get("env").has("RELEASE")).isFalse();
        for (int i = 1; i < HOSTS; i++) {
            assertThat(cluster.host(i).json("history", "web", "--json")).as("host %d's history", i).isEqualTo(history);
        }
        assertThat(cluster.host(1).ok("history", "web").stdout()).contains("*3", "rollback to 1");
    }

    @Test
    @Order(2)
    void canariesOnEveryHostThenAPromotionOnAnotherHostRollsTheRest() throws IOException {
        Map<String, Long> before = pids();
        Files.writeString(file, ENVIRONMENT.replace("    update: { max_parallel: 1 }",
                "    env: { RELEASE: \"4\" }\n    update: { max_parallel: 1, canary: 1 }"));

        cluster.host(0).ok("start", file.toString());

        assertThat(SpewProcesses.eventually(SETTLE, () -> replacedPerHost(before).values().stream()
                .allMatch(count -> count == 1))).as("one canary on each host: %s", replacedPerHost(before)).isTrue();
        sleep(Duration.ofSeconds(3));
        assertThat(replacedPerHost(before)).as("each host waits after its canary").allSatisfy(
                (host, count) -> assertThat(count).isEqualTo(1));

        String promoted = cluster.host(2).ok("promote", "web").stdout();

        assertThat(promoted).contains("web promoted: every instance is at version 4");
        assertThat(SpewProcesses.eventually(SETTLE, () -> allReplaced(before, pids()) && everyInstanceRuns("4")))
                .as("every instance of every host at version 4: %s", pids()).isTrue();
        JsonNode history = cluster.host(1).json("history", "web", "--json");
        assertThat(history.get(history.size() - 1).get("version").asInt()).isEqualTo(4);
        for (int i = 0; i < HOSTS; i++) {
            assertThat(cluster.host(i).json("history", "web", "--json")).as("host %d's history", i).isEqualTo(history);
        }
        SpewProcesses.Result again = cluster.host(0).run("promote", "web");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(2);
        assertThat(again.stderr()).contains("no roll waiting for a promotion");
    }

    @Test
    @Order(3)
    void aRollingRestartOnOneHostRestartsEveryHostsInstancesNeverAllOfAHostAtOnce() {
        Map<String, Long> before = pids();
        JsonNode history = cluster.host(0).json("history", "web", "--json");
        int[] fewestRunning = {2, 2, 2};

        SpewProcesses.Background restart = cluster.host(0).start("restart", "web");
        boolean ended = SpewProcesses.eventually(SETTLE, () -> {
            for (int i = 0; i < HOSTS; i++) {
                fewestRunning[i] = Math.min(fewestRunning[i], runningOn(cluster.host(i).getJson("/instances"),
                        ids.get(i)));
            }
            return !restart.process().isAlive();
        });

        assertThat(ended).as("restart ended: %s", restart.stdout()).isTrue();
        assertThat(restart.process().exitValue()).as("%s", restart.stdout()).isZero();
        assertThat(fewestRunning).as("each host restarted one of its two at a time (max_parallel: 1)")
                .doesNotContain(0);
        assertThat(SpewProcesses.eventually(SETTLE, () -> allReplaced(before, pids()))).as("every pid changed: %s",
                pids()).isTrue();
        for (String id : ids) {
            assertThat(restart.stdout()).contains("roll web on " + id.substring(0, 8) + ": done, 2/2");
        }
        for (int i = 0; i < HOSTS; i++) {
            assertThat(cluster.host(i).json("history", "web", "--json")).as("a restart is no version")
                    .isEqualTo(history);
        }
        JsonNode rolls = cluster.host(1).getJson("/rolls?after=0");
        assertThat(rolls.findValuesAsText("host")).as("every host's steps reach every host").containsAll(ids);
    }

    @Test
    @Order(4)
    void aHostDownDuringARestartRestartsItsInstancesWhenItComesBackAndTheRestartWaitsForIt() {
        Map<String, Long> before = pids();
        SpewProcesses down = cluster.host(HOSTS - 1);
        ProcessHandle.of(down.daemonPid()).ifPresent(ProcessHandle::destroyForcibly); // its instances run on

        SpewProcesses.Background restart = cluster.host(0).start("restart", "web");

        assertThat(SpewProcesses.eventually(SETTLE, () -> restartedOn(0, before) && restartedOn(1, before)))
                .as("the hosts that are up restart theirs: %s", restart.stdout()).isTrue();
        assertThat(restart.process().isAlive()).as("the restart waits for the host that is down: %s",
                restart.stdout()).isTrue();
        SpewProcesses.Result back = down.run("daemon", "start", "--cluster-listen", cluster.clusterListen(HOSTS - 1));
        assertThat(back.exitCode()).as("%s\n%s", back, down.daemonLogTail()).isZero();
        assertThat(SpewProcesses.eventually(SETTLE, () -> !restart.process().isAlive())).as("%s", restart.stdout())
                .isTrue();
        assertThat(restart.process().exitValue()).as("%s", restart.stdout()).isZero();
        assertThat(SpewProcesses.eventually(SETTLE, () -> allReplaced(before, pids())))
                .as("the host that came back restarted its instances: %s", pids()).isTrue();
    }

    /** Whether every instance of host {@code index} runs under another pid than {@code before}. */
    private boolean restartedOn(int index, Map<String, Long> before) {
        JsonNode instances = cluster.host(index).getJson("/instances");
        List<String> names = namesOn(instances, ids.get(index));
        return names.size() == 2 && names.stream().allMatch(name -> {
            long pid = pidOf(instances, name);
            return pid > 0 && pid != before.get(ids.get(index) + "/" + name);
        });
    }

    @Test
    @Order(5)
    void withoutAMajorityARollbackOrARestartFailsAsUnavailableAndChangesNothing() {
        for (int victim = 1; victim < HOSTS; victim++) {
            ProcessHandle.of(cluster.host(victim).daemonPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        SpewProcesses alone = cluster.host(0);
        JsonNode history = alone.json("history", "web", "--json");

        for (String[] command : List.of(new String[] {"rollback", "web"}, new String[] {"restart", "web"})) {
            SpewProcesses.Result result = alone.run(command);
            assertThat(result.exitCode()).as("%s", result).isEqualTo(4);
            assertThat(result.stderr()).contains("a majority");
        }
        assertThat(alone.json("history", "web", "--json")).isEqualTo(history);
    }

    /** The pid of each instance, named by host and name. */
    private Map<String, Long> pids() {
        Map<String, Long> pids = new TreeMap<>();
        for (int i = 0; i < HOSTS; i++) {
            JsonNode instances = cluster.host(i).getJson("/instances");
            for (String name : namesOn(instances, ids.get(i))) {
                pids.put(ids.get(i) + "/" + name, pidOf(instances, name));
            }
        }
        return pids;
    }

    private static boolean allReplaced(Map<String, Long> before, Map<String, Long> now) {
        return now.size() == before.size() && now.entrySet().stream().allMatch(entry -> entry.getValue() > 0
                && !entry.getValue().equals(before.get(entry.getKey())));
    }

    /** How many instances of each host run under another pid than {@code before}. */
    private Map<String, Integer> replacedPerHost(Map<String, Long> before) {
        Map<String, Integer> replaced = new TreeMap<>();
        ids.forEach(id -> replaced.put(id, 0));
        pids().forEach((key, pid) -> {
            if (pid > 0 && !pid.equals(before.get(key))) {
                replaced.merge(key.substring(0, key.indexOf('/')), 1, Integer::sum);
            }
        });
        return replaced;
    }

    /** Whether every host runs two instances whose env has {@code RELEASE} (none when null). */
    private boolean everyInstanceRuns(String release) {
        for (int i = 0; i < HOSTS; i++) {
            JsonNode instances = cluster.host(i).getJson("/instances");
            List<String> names = namesOn(instances, ids.get(i));
            if (names.size() != 2 || runningOn(instances, ids.get(i)) != 2) {
                return false;
            }
            for (String name : names) {
                JsonNode env = cluster.host(i).getJson("/instances/" + name).get("spec").get("env");
                String value = env.hasNonNull("RELEASE") ? env.get("RELEASE").asText() : null;
                if (release == null ? value != null : !release.equals(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
