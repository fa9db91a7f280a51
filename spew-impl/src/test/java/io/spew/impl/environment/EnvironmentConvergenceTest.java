package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.Plan;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment files through the engine: convergence, requires, plan, errors, includes, restarts. */
class EnvironmentConvergenceTest {
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

    @TempDir
    Path data;

    @TempDir
    Path files;

    private Spew spew;

    @BeforeEach
    void start() {
        spew = SpewEngine.builder().dataDirectory(data).start();
    }

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive()).forEach(i -> spew.instances().stop(i.name()));
            spew.close();
        }
    }

    @Test
    void convergesFromNothingToProdToDefaultAndStaysThenStops() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);

        Plan prod = spew.environments().start(file, "prod", StartOptions.defaults());
        assertThat(prod.counts()).isEqualTo(Map.of("riak", 8));
        assertThat(prod.steps().get(0)).isEqualTo(new PlanStep(PlanAction.APPLY, "riak", "new"));
        assertThat(running()).containsExactly("riak-1", "riak-2", "riak-3", "riak-4", "riak-5", "riak-6", "riak-7", "riak-8");
        assertThat(spew.instances().list()).allSatisfy(i -> assertThat(i.name()).isEqualTo("riak-" + i.spec().index()));
        Map<String, String> ids = ids();

        assertThat(spew.environments().plan(file, null).steps()).as("plan of default: highest indexes first")
                .startsWith(new PlanStep(PlanAction.STOP, "riak-8", null), new PlanStep(PlanAction.REMOVE, "riak-8", null),
                        new PlanStep(PlanAction.STOP, "riak-7", null));
        Plan down = spew.environments().start(file, null, StartOptions.defaults());
        assertThat(down.steps()).hasSize(10).allMatch(step -> step.action() == PlanAction.STOP || step.action() == PlanAction.REMOVE);
        assertThat(running()).containsExactly("riak-1", "riak-2", "riak-3");
        assertThat(spew.instances().list()).hasSize(3);
        assertThat(ids()).as("the same instances kept their names").isEqualTo(Map.of("riak-1", ids.get("riak-1"),
                "riak-2", ids.get("riak-2"), "riak-3", ids.get("riak-3")));

        assertThat(spew.environments().start(file, null, StartOptions.defaults()).steps()).as("idempotent").isEmpty();
        assertThat(ids()).hasSize(3).containsAllEntriesOf(Map.of("riak-1", ids.get("riak-1")));

        spew.instances().stop("riak-2");
        assertThat(spew.environments().start(file, null, StartOptions.defaults()).steps())
                .containsExactly(new PlanStep(PlanAction.START, "riak-2", "was stopped"));
        assertThat(running()).containsExactly("riak-1", "riak-2", "riak-3");

        Plan stop = spew.environments().stop(file, null, false);
        assertThat(stop.steps()).extracting(PlanStep::target).containsExactly("riak-3", "riak-2", "riak-1");
        assertThat(running()).isEmpty();
        assertThat(spew.environments().list()).isEmpty();
        spew.environments().stop(file, null, true);
        assertThat(spew.instances().list()).isEmpty();
    }

    @Test
    void twoFilesCannotShareAnAppliance() throws IOException {
        EnvironmentFiles first = write("spew.yaml", RIAK);
        spew.environments().start(first, null, StartOptions.defaults());
        EnvironmentFiles second = write("other.yaml", RIAK);
        assertThatThrownBy(() -> spew.environments().plan(second, null)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
            assertThat(e.getMessage()).contains("appliance riak has instances of environment file " + first.file());
        });
        spew.environments().stop(first, null, false);
        assertThat(spew.environments().plan(second, null).steps()).extracting(PlanStep::action)
                .containsExactly(PlanAction.START, PlanAction.START, PlanAction.START);
    }

    @Test
    void whatAFileStartedStopsOnceTheFileIsGone() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);
        spew.environments().start(file, "prod", StartOptions.defaults());
        Files.delete(files.resolve("spew.yaml"));
        Plan stop = spew.environments().stop(EnvironmentFiles.of(file.file(), ""), null, true);
        assertThat(stop.steps()).hasSize(16);
        assertThat(spew.instances().list()).isEmpty();
        assertThat(spew.environments().list()).isEmpty();
        assertThatThrownBy(() -> spew.environments().stop(EnvironmentFiles.of(file.file(), ""), null, true))
                .as("once forgotten, an empty file is an error").isInstanceOf(SpewException.class);
    }

    @Test
    void aChangedApplianceReplacesItsInstancesAndOnlyThen() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);
        spew.environments().start(file, null, StartOptions.defaults());
        Map<String, String> ids = ids();
        spew.environments().start(write("spew.yaml", RIAK.replace("riak: 3", "riak: 4")), null, StartOptions.defaults());
        assertThat(ids()).as("a count changes no instance").containsAllEntriesOf(ids).hasSize(4);

        EnvironmentFiles changed = write("spew.yaml", RIAK.replace("riak: 3", "riak: 4").replace("sleep 300", "sleep 301"));
        Plan plan = spew.environments().plan(changed, null);
        assertThat(plan.steps()).contains(new PlanStep(PlanAction.APPLY, "riak", "changed"),
                new PlanStep(PlanAction.STOP, "riak-1", "appliance changed"),
                new PlanStep(PlanAction.REMOVE, "riak-1", "appliance changed"),
                new PlanStep(PlanAction.CREATE, "riak-1", "appliance changed"),
                new PlanStep(PlanAction.START, "riak-1", null));
        assertThat(plan.steps()).hasSize(1 + 4 * 4);
        assertThat(ids()).as("plan changes nothing").containsAllEntriesOf(ids);

        spew.environments().start(changed, null, StartOptions.defaults());
        assertThat(running()).containsExactly("riak-1", "riak-2", "riak-3", "riak-4");
        assertThat(spew.instances().list()).allSatisfy(i -> {
            assertThat(i.spec().command()).contains("exec sleep 301");
            assertThat(i.id().value()).isNotEqualTo(ids.get(i.name()));
        });
        assertThat(spew.environments().plan(changed, null).steps()).isEmpty();
    }

    @Test
    void planChangesNothing() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);
        Plan plan = spew.environments().plan(file, "prod");
        assertThat(plan.steps()).hasSize(17);
        assertThat(plan.steps().get(1)).isEqualTo(new PlanStep(PlanAction.CREATE, "riak-1", null));
        assertThat(spew.appliances().list()).isEmpty();
        assertThat(spew.instances().list()).isEmpty();
        assertThat(spew.environments().list()).isEmpty();

        spew.environments().start(file, null, StartOptions.defaults());
        Map<String, String> ids = ids();
        assertThat(spew.environments().plan(file, "prod").steps()).hasSize(10);
        assertThat(ids()).isEqualTo(ids);
        assertThat(spew.environments().list().get(0).counts()).isEqualTo(Map.of("riak", 3));
        assertThat(Files.list(data.resolve("instances")).count()).isEqualTo(3);
    }

    @Test
    void requiresStartsAnApplianceOnlyOnceTheRequiredOnesAreHealthy() throws IOException {
        int port = freePort();
        EnvironmentFiles file = write("spew.yaml", """
                appliances:
                  web:
                    runtime: shell
                    requires: [db]
                    command: ["/bin/sh", "-c", "echo db at $SPEW_SERVICE_DB_ADDRS ${service.db.addresses}; exec sleep 300"]
                  db:
                    runtime: shell
                    command: ["/bin/sh", "-c", "sleep 0.7; exec /usr/bin/python3 -m http.server ${port}"]
                    options: { port: "%d" }
                    services: [{ name: db, port: "${port}", check: { tcp: "${port}" } }]
                instances: { web: 2, db: 1 }
                """.formatted(port));
        Plan plan = spew.environments().start(file, null, StartOptions.defaults());
        assertThat(plan.steps().stream().filter(step -> step.action() == PlanAction.CREATE).map(PlanStep::target))
                .containsExactly("db-1", "web-1", "web-2");
        Instance db = spew.instances().get("db-1");
        Instance web = spew.instances().get("web-1");
        assertThat(web.startedAt()).isAfter(db.startedAt().plusMillis(600));
        String address = spew.services().list().get(0).addresses().get(0);
        assertThat(address).endsWith(":" + port);
        assertThat(web.spec().env()).containsEntry("SPEW_SERVICE_DB_ADDRS", address);
        assertThat(web.spec().command().get(2)).contains("echo db at $SPEW_SERVICE_DB_ADDRS " + address + ";");

        Plan stop = spew.environments().stop(file, null, false);
        assertThat(stop.steps()).extracting(PlanStep::target).as("in reverse").containsExactly("web-2", "web-1", "db-1");
    }

    @Test
    void requiresTimesOutWithAClearErrorAndStartsNothingThatRequires() throws IOException {
        int port = freePort();
        EnvironmentFiles file = write("spew.yaml", """
                appliances:
                  db:
                    runtime: shell
                    command: ["/bin/sh", "-c", "exec sleep 300"]
                    services: [{ name: db, port: "%d", check: { tcp: "%d" } }]
                  web: { runtime: shell, command: "exec sleep 300", requires: [db] }
                instances: { db: 1, web: 1 }
                """.formatted(port, port));
        long started = System.nanoTime();
        assertThatThrownBy(() -> spew.environments().start(file, null, new StartOptions(Duration.ofMillis(800), false)))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED);
                    assertThat(e.getMessage()).contains("db-1 (running, not healthy)").contains("within 0.8 s");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(running()).containsExactly("db-1");
    }

    @Test
    void everyConfigErrorNamesFileLineAndColumnAndChangesNothing() throws IOException {
        spew.appliances().apply("cycle-a.yaml", "name: ca\ncommand: [/bin/true]\n");
        assertError("syntax", "appliances:\n  web: { runtime: shell\ninstances: {web: 1}\n", ":3:");
        assertError("unknown top key", "appliances: {}\ncolour: blue\n", ":2:1: unknown key 'colour' in an environment file");
        assertError("unknown appliance key", "appliances:\n  web:\n    runtime: shell\n    colour: blue\n",
                ":4:5: unknown key 'colour' in appliance web");
        assertError("wrong type", "appliances:\n  web: { command: true }\ninstances: { web: three }\n",
                ":3:19: the count of web must be a count");
        assertError("bad reference", "appliances:\n  web:\n    command: [echo, \"${nope}\"]\n",
                ":3:21: ${nope} has no value");
        assertError("environment changes more than counts",
                "appliances:\n  web: { command: true }\ninstances: { web: 1 }\nenvironments:\n  prod:\n    web: { command: false }\n",
                ":6:10: environment prod sets 'web' to a mapping: environments may change counts and nothing else");
        assertError("environment changes a key",
                "appliances:\n  web: { command: true }\ninstances: { web: 1 }\nenvironments:\n  prod: { runtime: void }\n",
                ":5:11: environment prod changes 'runtime', which is not an appliance");
        assertError("extends cycle", "appliances:\n  a: { extends: [b] }\n  b: { extends: [a] }\n",
                ":2:17: extends cycle: a → b → a");
        assertError("missing parent", "appliances:\n  a: { extends: [nosuch] }\n",
                ":2:17: appliance a extends 'nosuch', which does not exist");
        assertError("requires cycle", "appliances:\n  a: { command: true, requires: [b] }\n  b: { command: true, requires: [a] }\n"
                + "instances: { a: 1, b: 1 }\n", ":2:33: 'requires' makes a cycle among a, b");
        assertError("unknown required", "appliances:\n  a: { command: true, requires: [zz] }\ninstances: { a: 1 }\n",
                ":2:33: appliance a requires 'zz'");
        assertThat(spew.appliances().list()).extracting(a -> a.name()).containsExactly("ca");
        assertThat(spew.instances().list()).isEmpty();
        assertThat(spew.environments().list()).isEmpty();
    }

    @Test
    void anUnknownEnvironmentIsAnError() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);
        assertThatThrownBy(() -> spew.environments().plan(file, "staging"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("no environment 'staging'").contains("prod");
                });
    }

    @Test
    void includesAreReadRelativeToTheIncludingFile() throws IOException {
        Files.createDirectories(files.resolve("lib/more"));
        Files.writeString(files.resolve("lib/base.yaml"), "include: [more/sleepers.yaml]\nappliances:\n"
                + "  base: { runtime: shell, env: { FROM: base } }\n");
        Files.writeString(files.resolve("lib/more/sleepers.yaml"), "appliances:\n"
                + "  sleeper: { extends: [base], command: \"exec sleep 300\" }\n");
        Files.writeString(files.resolve("spew.yaml"), "include: [lib/base.yaml]\nappliances:\n"
                + "  app: { extends: [sleeper] }\ninstances: { app: 2 }\n");
        EnvironmentFiles loaded = EnvironmentFileLoader.load(files.resolve("spew.yaml"));
        assertThat(loaded.contents()).hasSize(3);
        spew.environments().start(loaded, null, StartOptions.defaults());
        assertThat(running()).containsExactly("app-1", "app-2");
        assertThat(spew.instances().get("app-1").spec().env()).containsEntry("FROM", "base");
        assertThat(spew.appliances().explain("app").stream().filter(v -> v.key().equals("env.FROM")).findFirst().orElseThrow()
                .location()).isEqualTo(files.resolve("lib/base.yaml") + ":3:40");

        Files.writeString(files.resolve("lib/more/sleepers.yaml"), "appliances:\n  sleeper: { instances: 3 }\n");
        assertThatThrownBy(() -> spew.environments().plan(EnvironmentFileLoader.load(files.resolve("spew.yaml")), null))
                .hasMessageStartingWith(files.resolve("lib/more/sleepers.yaml") + ":2:14: unknown key 'instances'");
    }

    @Test
    void aRestartedEngineKeepsConvergingToTheStoredState() throws IOException {
        EnvironmentFiles file = write("spew.yaml", RIAK);
        spew.environments().start(file, null, StartOptions.defaults());
        spew.instances().stop("riak-2");
        spew.close();
        spew = SpewEngine.builder().dataDirectory(data).start();
        assertThat(spew.environments().list()).hasSize(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running().size() < 3 && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(running()).containsExactly("riak-1", "riak-2", "riak-3");
    }

    private void assertError(String what, String content, String expected) throws IOException {
        Files.writeString(files.resolve("bad.yaml"), content);
        EnvironmentFiles file = EnvironmentFiles.of(files.resolve("bad.yaml").toString(), content);
        for (Runnable action : List.<Runnable>of(() -> spew.environments().plan(file, null),
                () -> spew.environments().start(file, "prod".equals(what) ? "prod" : null, StartOptions.defaults()))) {
            assertThatThrownBy(action::run).as(what).isInstanceOfSatisfying(SpewException.class, e -> {
                assertThat(e.code()).as(what).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                assertThat(e.getMessage()).as(what).startsWith(file.file() + expected.substring(0, expected.indexOf(':', 1) + 1))
                        .contains(expected);
            });
        }
    }

    private EnvironmentFiles write(String name, String content) throws IOException {
        Path file = files.resolve(name);
        Files.writeString(file, content);
        return EnvironmentFileLoader.load(file);
    }

    private List<String> running() {
        return spew.instances().list().stream().filter(i -> i.state() == InstanceState.RUNNING).map(Instance::name).toList();
    }

    private Map<String, String> ids() {
        return spew.instances().list().stream().collect(Collectors.toMap(Instance::name, i -> i.id().value()));
    }

    private static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
