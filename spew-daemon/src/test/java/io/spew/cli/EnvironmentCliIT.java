package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.cli.SpewProcesses.Result;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code spew plan|start|stop FILE} and {@code appliance show --explain} end to end, through real processes. */
class EnvironmentCliIT extends DaemonProcessTest {
    private static final String RIAK = """
            appliances:
              riak:
                runtime: shell
                command: ["/bin/sh", "-c", "exec sleep 300"]
                stop: { timeout: 5s }
            instances: { riak: 3 }
            environments:
              prod: { riak: 8 }
            """;


    @Test
    void convergesFromNothingToProdToDefaultAndStaysThenStops() throws IOException {
        String file = write("spew.yaml", RIAK).toString();

        Result plan = spew.ok("plan", file, "--env", "prod");
        assertThat(plan.stdout()).contains("environment prod: riak 8").containsPattern("create +riak-8")
                .contains("1 to apply, 8 to create, 8 to start");
        assertThat(spew.json("ps", "--all", "--json")).as("plan changes nothing").isEmpty();
        assertThat(spew.json("appliance", "ls", "--json")).isEmpty();

        assertThat(spew.ok("start", file, "--env", "prod").stdout()).contains("8 to create, 8 to start");
        assertThat(states()).isEqualTo(running("riak", 8));

        Result down = spew.ok("start", file);
        assertThat(down.stdout()).contains("5 to stop, 5 to remove");
        assertThat(down.stdout().indexOf("riak-8")).isLessThan(down.stdout().indexOf("riak-4"));
        assertThat(states()).isEqualTo(running("riak", 3));

        assertThat(spew.ok("start", file).stdout()).contains("up to date");
        assertThat(states()).isEqualTo(running("riak", 3));

        assertThat(spew.ok("stop", "riak-2").stdout()).as("spew stop INSTANCE still works").isEqualTo("stopped riak-2\n");
        assertThat(spew.ok("plan", file).stdout()).containsPattern("start +riak-2 +was stopped");
        assertThat(spew.ok("start", "riak-2").stdout()).isEqualTo("started riak-2\n");

        assertThat(spew.ok("stop", file).stdout()).contains("3 to stop");
        assertThat(spew.json("ps", "--json")).isEmpty();
        assertThat(spew.json("ps", "--all", "--json")).hasSize(3);
        spew.ok("stop", file, "--rm");
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();
    }

    @Test
    void configErrorsExit2WithFileLineAndColumnAndChangeNothing() throws IOException {
        Map<String, String> cases = new TreeMap<>(Map.of(
                "appliances:\n  web: { command: [a\n", ":3:1: bad YAML",
                "appliances:\n  web: { colour: blue }\n", ":2:10: unknown key 'colour' in appliance web",
                "appliances:\n  web: { env: [a] }\n", ":2:15: 'env' must be a mapping",
                "appliances:\n  web: { command: \"echo ${nope}\" }\n", ":2:19: ${nope} has no value",
                "appliances:\n  web: { command: x }\ninstances: { web: 1 }\nenvironments:\n  prod: { web: { command: y } }\n",
                ":5:16: environment prod sets 'web' to a mapping: environments may change counts and nothing else",
                "appliances:\n  a: { extends: [b] }\n  b: { extends: [a] }\n", ":2:17: extends cycle: a → b → a",
                "appliances:\n  a: { extends: [zz] }\n", ":2:17: appliance a extends 'zz', which does not exist"));
        int number = 0;
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            String file = write("bad-" + number++ + ".yaml", entry.getKey()).toString();
            for (String command : List.of("plan", "start")) {
                Result result = entry.getKey().contains("prod") ? spew.run(command, file, "--env", "prod")
                        : spew.run(command, file);
                assertThat(result.exitCode()).as("%s %s\n%s", command, entry.getKey(), result).isEqualTo(2);
                assertThat(result.stderrLines()).hasSize(1);
                assertThat(result.stderr()).startsWith("spew: " + file + entry.getValue()).endsWith("(INVALID_APPLIANCE)\n");
            }
        }
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();
        assertThat(spew.json("appliance", "ls", "--json")).isEmpty();
        assertThat(Files.list(spew.dataDirectory().resolve("environments")).toList()).isEmpty();
    }

    @Test
    void explainPrintsWhoSetEachValueAcrossLevels() throws IOException {
        Path base = write("base.yaml", "name: base\nruntime: shell\nenv: { A: base, B: base }\n");
        Path middle = write("middle.yaml", "name: middle\nextends: [base]\nenv: { B: middle }\ncommand: [/bin/true]\n");
        Path leaf = write("leaf.yaml", "name: leaf\nextends: [middle]\nenv:\n  C: leaf\n");
        spew.ok("appliance", "apply", base.toString(), middle.toString(), leaf.toString());
        List<String> lines = spew.ok("appliance", "show", "leaf", "--explain").stdout().lines().toList();
        assertThat(lines.get(0)).matches("KEY +VALUE +SET BY +WHERE");
        assertThat(lines).anyMatch(line -> line.matches("env\\.A +base +base +" + base + ":3:11"))
                .anyMatch(line -> line.matches("env\\.B +middle +middle +" + middle + ":3:11"))
                .anyMatch(line -> line.matches("env\\.C +leaf +leaf +" + leaf + ":4:6"))
                .anyMatch(line -> line.matches("runtime +shell +base +" + base + ":2:10"))
                .anyMatch(line -> line.matches("command +\\[/bin/true] +middle +" + middle + ":4:10"))
                .anyMatch(line -> line.matches("stop +SIGTERM, SIGKILL after 10000 ms +\\(default\\) +-"));
        assertThat(spew.json("appliance", "show", "leaf", "--explain", "--json").size()).isEqualTo(lines.size() - 1);
    }

    @Test
    void aRestartedDaemonKeepsTheDesiredStateAndServicesAreListed() throws Exception {
        int port = freePort();
        String file = write("spew.yaml", """
                appliances:
                  store:
                    runtime: shell
                    command: ["/bin/sh", "-c", "exec sleep 300"]
                    services: [{ name: store, port: "%d" }]
                instances: { store: 2 }
                """.formatted(port)).toString();
        spew.ok("start", file, "--wait");
        spew.ok("stop", "store-2");
        spew.ok("daemon", "stop");
        assertThat(spew.run("daemon", "status").exitCode()).isEqualTo(4);
        spew.ok("daemon", "start");
        assertThat(eventually(Duration.ofSeconds(20), () -> states().equals(running("store", 2))))
                .as("store-2 started again: %s", states()).isTrue();
        JsonNode services = Json.mapper().readTree(spew.api("GET", "/services", null).body());
        assertThat(services.get(0).get("name").asText()).isEqualTo("store");
        assertThat(services.get(0).get("instances")).hasSize(2);
        assertThat(services.get(0).get("addresses").get(0).asText()).endsWith(":" + port);
        assertThat(Json.mapper().readTree(spew.api("GET", "/environments", null).body()).get(0).get("counts")
                .get("store").asInt()).isEqualTo(2);

        Files.delete(Path.of(file));
        assertThat(spew.ok("stop", file, "--rm").stdout()).as("a file gone: what it started stops").contains("2 to stop, 2 to remove");
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();
        assertThat(spew.run("stop", file).exitCode()).as("then it is not found").isEqualTo(3);
    }

    private Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode instance : spew.json("ps", "--all", "--json")) {
            states.put(instance.get("name").asText(), instance.get("state").asText());
        }
        return states;
    }

    private static Map<String, String> running(String appliance, int count) {
        Map<String, String> states = new TreeMap<>();
        for (int index = 1; index <= count; index++) {
            states.put(appliance + "-" + index, "running");
        }
        return states;
    }

    private Path write(String name, String content) throws IOException {
        Path file = temporary.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }
}
