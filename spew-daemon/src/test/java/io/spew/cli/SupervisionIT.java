package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import io.spew.testing.BusyboxRoot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Instances outlive a daemon killed with SIGKILL: a new daemon adopts every one by pid, start time and
 * boot id, their restart policies go on and nothing they wrote meanwhile is lost. (A pid that another
 * process took while no daemon watched: {@link TakenPidIT}.)
 */
class SupervisionIT extends DaemonProcessTest {
    private static final String TICKER = "i=0; while :; do i=$((i+1)); echo \"tick $i\"; sleep 0.1; done";
    private static final int SHELL_INSTANCES = 16;
    private static final int CONTAINERS = 4;
    private static final Pattern TICK = Pattern.compile("tick (\\d+)");

    @Test
    void aDaemonKilledWithTwentyInstancesIsReplacedByOneThatAdoptsThemAll() throws Exception {
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        assertThat(nspawn.passed()).as("nspawn must run here (root, systemd-container): %s", nspawn.reason()).isTrue();
        Path box = BusyboxRoot.make(temporary.resolve("box"), TICKER);
        spew.buildAndImport(box, "ticker-box", "1", temporary.resolve("box.tar.gz"));
        spew.ok("appliance", "apply", Files.writeString(temporary.resolve("ticker.yaml"), """
                appliances:
                  ticker:
                    runtime: shell
                    command: '%s'
                    restart: { policy: on-failure, initial: 100ms }
                  boxed:
                    runtime: nspawn
                    build: ticker-box@1
                    restart: { policy: on-failure, initial: 100ms }
                """.formatted(TICKER), UTF_8).toString());
        for (int i = 0; i < SHELL_INSTANCES; i++) {
            created(spew.api("POST", "/instances", "{\"appliance\":\"ticker\"}"));
        }
        for (int i = 0; i < CONTAINERS; i++) {
            created(spew.api("POST", "/instances", "{\"appliance\":\"boxed\"}"));
        }
        Map<String, Long> pids = runningPids();
        assertThat(pids).hasSize(SHELL_INSTANCES + CONTAINERS);

        long daemon = spew.daemonPid();
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(daemon))).as("daemon killed").isTrue();
        Thread.sleep(2000); // the instances write while no daemon runs
        spew.ok("daemon", "start");

        assertThat(runningPids()).as("every instance adopted with its pid").isEqualTo(pids);
        for (String name : pids.keySet()) {
            assertNoTickLost(name, 30);
        }

        // the restart policy goes on under the new daemon
        ProcessHandle.of(pids.get("ticker-3")).orElseThrow().destroyForcibly();
        assertThat(eventually(Duration.ofSeconds(10), () -> {
            JsonNode instance = spew.instance("ticker-3");
            return instance.get("state").asText().equals("running") && instance.get("restarts").asInt() == 1;
        })).as("ticker-3 restarted: %s", spew.instance("ticker-3")).isTrue();
        assertThat(spew.instance("ticker-3").get("pid").asLong()).isNotEqualTo(pids.get("ticker-3"));

        // logs -f of an adopted instance follows it until it stops
        SpewProcesses.Background follow = spew.start("logs", "-f", "ticker-5");
        try {
            int before = lastTick(spew.ok("logs", "ticker-5").stdout());
            assertThat(eventually(Duration.ofSeconds(10), () -> lastTick(follow.stdout()) > before + 3))
                    .as("logs -f shows new lines").isTrue();
            spew.ok("stop", "ticker-5", "boxed-2");
            assertThat(follow.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("logs -f ends with it").isTrue();
            assertThat(follow.process().exitValue()).isZero();
        } finally {
            follow.process().destroyForcibly();
        }
        for (String name : List.of("ticker-5", "boxed-2")) {
            long pid = pids.get(name);
            assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(pid))).as("%s stopped", name).isTrue();
            assertThat(spew.instance(name).get("state").asText()).isEqualTo("stopped");
        }
    }

    /** The pid of every instance once all run, by name. */
    private Map<String, Long> runningPids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        assertThat(eventually(Duration.ofSeconds(60), () -> {
            pids.clear();
            for (JsonNode instance : spew.json("ps", "--all", "--json")) {
                if (!instance.get("state").asText().equals("running")) {
                    return false;
                }
                pids.put(instance.get("name").asText(), instance.get("pid").asLong());
            }
            return true;
        })).as("every instance running: %s", spew.json("ps", "--all", "--json")).isTrue();
        return pids;
    }

    /** The log of an instance holds every tick from 1 on, once and in order, at least {@code atLeast} of them. */
    private void assertNoTickLost(String name, int atLeast) {
        List<Integer> ticks = new ArrayList<>();
        for (String line : spew.ok("logs", name).stdout().lines().toList()) {
            Matcher matcher = TICK.matcher(line);
            if (matcher.matches()) {
                ticks.add(Integer.parseInt(matcher.group(1)));
            }
        }
        assertThat(ticks.size()).as("ticks of %s", name).isGreaterThanOrEqualTo(atLeast);
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).as("line %d of %s", i + 1, name).isEqualTo(i + 1);
        }
    }

    private static int lastTick(String log) {
        int last = 0;
        for (String line : log.lines().toList()) {
            Matcher matcher = TICK.matcher(line);
            if (matcher.matches()) {
                last = Integer.parseInt(matcher.group(1));
            }
        }
        return last;
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode() / 100).as("%s", response.body()).isEqualTo(2);
    }
}
