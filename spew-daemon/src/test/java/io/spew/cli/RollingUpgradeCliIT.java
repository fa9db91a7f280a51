package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.cli.SpewProcesses.Background;
import io.spew.cli.SpewProcesses.Result;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code spew start} rolling a change, {@code spew history|rollback|promote} and {@code spew restart APPLIANCE}. */
class RollingUpgradeCliIT extends DaemonProcessTest {
    private static String web(String version, String update) {
        return """
                appliances:
                  web:
                    runtime: shell
                    command: ["/bin/sh", "-c", "echo version $VERSION; exec sleep 300"]
                    env: { VERSION: "%s" }
                    stop: { timeout: 5s }
                    update: %s
                instances: { web: 6 }
                """.formatted(version, update);
    }

    @Test
    void rollsShowsHistoryRollsBackPromotesAndRestarts() throws Exception {
        String update = "{ max_parallel: 2, min_healthy_time: 1s }";
        Path file = temporary.resolve("spew.yaml");
        Files.writeString(file, web("1", update));
        spew.ok("start", file.toString());
        Background events = spew.start("events", "--appliance", "web", "--json");
        assertThat(SpewProcesses.eventually(Duration.ofSeconds(60), () -> {
            spew.ok("restart", "web-6");
            return events.stdout().contains("\"web-6\"");
        })).as("spew events follows").isTrue();

        Files.writeString(file, web("2", update));
        Background rolling = spew.start("start", file.toString());
        boolean[] stillRolling = {false};
        assertThat(SpewProcesses.eventually(Duration.ofSeconds(60), () -> {
            stillRolling[0] = rolling.process().isAlive();
            return rolling.stdout().contains("roll web: 2/6 replaced (web-1, web-2)");
        })).as("the first batch shows").isTrue();
        assertThat(stillRolling[0]).as("progress shows while the roll goes on").isTrue();
        assertThat(rolling.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(rolling.process().exitValue()).as(rolling.stdout()).isZero();
        assertThat(rolling.stdout()).as("progress, live").containsSubsequence(
                "roll web: started, version 1 → 2, 0/6 on the new version",
                "roll web: 2/6 replaced (web-1, web-2)", "roll web: 4/6 replaced (web-3, web-4)",
                "roll web: 6/6 replaced (web-5, web-6)", "roll web: done, 6/6");
        assertThat(versions()).containsOnly("2");
        assertThat(SpewProcesses.eventually(Duration.ofSeconds(10), () -> events.stdout().contains("\"done\"")))
                .isTrue();
        List<String> steps = new ArrayList<>();
        for (String line : events.stdout().lines().toList()) {
            JsonNode event = Json.mapper().readTree(line);
            if (event.path("type").asText().equals("roll")) {
                steps.add(event.get("appliance").asText() + " " + event.get("phase").asText() + " "
                        + event.get("fromVersion").asInt() + "->" + event.get("toVersion").asInt() + " "
                        + event.get("replaced").asInt() + "/" + event.get("total").asInt());
            }
        }
        assertThat(steps).as("the roll in the event stream, in order").containsExactly("web started 1->2 0/6",
                "web replaced 1->2 2/6", "web replaced 1->2 4/6", "web replaced 1->2 6/6", "web done 1->2 6/6");
        events.process().destroy();

        Result history = spew.ok("history", "web");
        assertThat(history.stdout()).containsPattern("(?m)^VERSION +BUILD +ENV +WHEN +WHO +NOTE")
                .containsPattern("(?m)^\\*2 +- +VERSION=2 .* start$").containsPattern("(?m)^1 +- +VERSION=1 .* start$");
        JsonNode json = spew.json("history", "web", "--json");
        assertThat(json).hasSize(2);
        assertThat(json.get(1).get("resolved").get("env").get("VERSION").asText()).isEqualTo("2");
        assertThat(json.get(1).get("by").asText()).isEqualTo(System.getProperty("user.name"));

        assertThat(spew.ok("rollback", "web", "--to", "1").stdout()).contains("roll web: done, 6/6")
                .contains("web is at version 3 (rollback to 1)");
        assertThat(versions()).containsOnly("1");

        Files.writeString(file, web("4", "{ max_parallel: 2, canary: 1 }"));
        assertThat(spew.ok("start", file.toString()).stdout())
                .contains("roll web: paused after the canaries, 1/6: 'spew promote web' goes on");
        assertThat(versions()).containsExactlyInAnyOrder("4", "1", "1", "1", "1", "1");
        assertThat(spew.ok("promote", "web").stdout()).contains("roll web: done, 6/6")
                .contains("web promoted: every instance is at version 4");
        assertThat(versions()).containsOnly("4");
        Result again = spew.run("promote", "web");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("appliance web has no roll waiting for a promotion");

        Result restart = spew.ok("restart", "web");
        assertThat(restart.stdout()).contains("roll web: started, version 4, 0/6 on the new version",
                        "roll web: 2/6 replaced (web-1, web-2)")
                .contains("restarted the instances of web");
        for (JsonNode instance : spew.json("ps", "--json")) {
            assertThat(instance.get("restarts").asInt()).isEqualTo(1);
        }
        assertThat(spew.ok("restart", "web-1").stdout()).isEqualTo("restarted web-1\n");
        Result unknown = spew.run("rollback", "nope");
        assertThat(unknown.exitCode()).isEqualTo(3);
    }

    /** The VERSION each instance printed last. */
    private List<String> versions() {
        List<String> versions = new ArrayList<>();
        for (JsonNode instance : spew.json("ps", "--json")) {
            String[] logs = {""};
            SpewProcesses.eventually(Duration.ofSeconds(10), () -> {
                logs[0] = spew.ok("logs", instance.get("name").asText()).stdout();
                return logs[0].contains("version ");
            });
            String[] lines = logs[0].strip().split("\n");
            versions.add(lines[lines.length - 1].replace("version ", "").strip());
        }
        return versions;
    }
}
