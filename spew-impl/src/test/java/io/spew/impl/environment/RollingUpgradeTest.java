package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.RollProgress;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling upgrades of environments through the engine, with the shell runtime. */
class RollingUpgradeTest {
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

    private static String web(String version, int count, String update, String check) {
        return """
                appliances:
                  web:
                    runtime: shell
                    command: ["/bin/sh", "-c", "exec sleep 300"]
                    env: { VERSION: "%s" }
                    stop: { timeout: 5s }
                    update: %s
                    services: [{ name: web, port: 8080, check: { exec: "%s", interval: 100ms, retries: 3 } }]
                instances: { web: %d }
                """.formatted(version, update, check, count);
    }

    @Test
    void anEnvironmentOnlyChangeRollsTwoAtATimeAndNeverLeavesFewerThanFourRunning() throws Exception {
        EnvironmentFiles v1 = write(web("1", 6, "{ max_parallel: 2, min_healthy_time: 300ms }", "true"));
        spew.environments().start(v1, null, StartOptions.defaults());
        assertThat(versions()).containsOnly("1");
        Map<String, String> ids = ids();

        List<RollProgress> progress = new CopyOnWriteArrayList<>();
        AtomicInteger fewest = new AtomicInteger(6);
        AtomicBoolean rolling = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (rolling.get()) {
                long running = spew.instances().list().stream()
                        .filter(i -> i.state() == InstanceState.RUNNING).count();
                fewest.accumulateAndGet((int) running, Math::min);
                Thread.onSpinWait();
            }
        });
        long started = System.nanoTime();
        try (Registration registration = spew.environments().onRollProgress(progress::add)) {
            watcher.start();
            spew.environments().start(write(web("2", 6, "{ max_parallel: 2, min_healthy_time: 300ms }", "true")),
                    null, StartOptions.defaults());
        } finally {
            rolling.set(false);
            watcher.join();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(versions()).as("every instance runs the new env").containsOnly("2");
        assertThat(ids()).as("each instance replaced").allSatisfy((name, id) -> assertThat(id).isNotEqualTo(ids.get(name)));
        assertThat(fewest.get()).as("never fewer than 4 running").isGreaterThanOrEqualTo(4);
        assertThat(progress).extracting(RollProgress::phase).containsExactly(RollProgress.Phase.STARTED,
                RollProgress.Phase.REPLACED, RollProgress.Phase.REPLACED, RollProgress.Phase.REPLACED,
                RollProgress.Phase.DONE);
        assertThat(progress.get(1).detail()).isEqualTo("web-1, web-2");
        assertThat(progress).extracting(RollProgress::replaced).containsExactly(0, 2, 4, 6, 6);
        assertThat(progress).as("in order, from version 1 to 2, of 6")
                .extracting(p -> p.phase() + " " + p.fromVersion() + "->" + p.toVersion() + " " + p.replaced() + "/"
                        + p.total())
                .containsExactly("started 1->2 0/6", "replaced 1->2 2/6", "replaced 1->2 4/6", "replaced 1->2 6/6",
                        "done 1->2 6/6");
        assertThat(progress).extracting(RollProgress::time).isSorted();
        assertThat(millis).as("three batches, each healthy for 300 ms").isGreaterThanOrEqualTo(900);
        assertThat(spew.environments().history("web")).extracting(ApplianceVersion::version).containsExactly(1, 2);
        assertThat(spew.environments().history("web").get(1).resolved().env()).containsEntry("VERSION", "2");
        assertThat(spew.environments().history("web").get(1).by()).isEqualTo(System.getProperty("user.name"));

        assertThat(spew.environments().start(write(web("2", 6, "{ max_parallel: 2, min_healthy_time: 300ms }", "true")),
                null, StartOptions.defaults()).steps()).as("nothing more to roll").isEmpty();
    }

    @Test
    void aBuildWhoseHealthCheckFailsStopsTheRollAndReverts() throws Exception {
        String update = "{ max_parallel: 1, healthy_deadline: 1500ms, auto_revert: true }";
        spew.environments().start(write(web("1", 3, update, "true")), null, StartOptions.defaults());
        Map<String, String> ids = ids();
        List<RollProgress> progress = new CopyOnWriteArrayList<>();
        spew.environments().onRollProgress(progress::add);

        assertThatThrownBy(() -> spew.environments().start(write(web("2", 3, update, "false")), null,
                StartOptions.defaults()))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining("the roll of appliance web stopped: web-1")
                .hasMessageContaining("reverted to version 1 (update.auto_revert)")
                .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.START_FAILED));

        assertThat(versions()).as("the first instance went back, the others were never touched").containsOnly("1");
        assertThat(ids().get("web-2")).isEqualTo(ids.get("web-2"));
        assertThat(ids().get("web-3")).isEqualTo(ids.get("web-3"));
        assertThat(ids().get("web-1")).isNotEqualTo(ids.get("web-1"));
        assertThat(running()).containsExactly("web-1", "web-2", "web-3");
        assertThat(spew.environments().history("web")).extracting(ApplianceVersion::note)
                .containsExactly("start", "start", "revert of 2");
        assertThat(progress).extracting(p -> p.phase() + " " + p.fromVersion() + "->" + p.toVersion() + " "
                + p.replaced() + "/" + p.total()).containsExactly("started 1->2 0/3", "failed 1->2 0/3",
                "reverted 2->1 0/3", "started 2->3 2/3", "replaced 2->3 3/3", "done 2->3 3/3");
        assertThat(progress.get(1).detail()).contains("the roll of appliance web stopped: web-1");
    }

    @Test
    void aCanaryWaitsForAPromotion() throws Exception {
        String update = "{ max_parallel: 2, canary: 1 }";
        spew.environments().start(write(web("1", 4, update, "true")), null, StartOptions.defaults());
        List<RollProgress> progress = new CopyOnWriteArrayList<>();
        spew.environments().onRollProgress(progress::add);
        spew.environments().start(write(web("2", 4, update, "true")), null, StartOptions.defaults());
        assertThat(versionsByName()).isEqualTo(Map.of("web-1", "2", "web-2", "1", "web-3", "1", "web-4", "1"));

        assertThat(spew.environments().start(write(web("2", 4, update, "true")), null, StartOptions.defaults())
                .steps()).as("start again keeps waiting").isNotNull();
        assertThat(versionsByName()).containsEntry("web-2", "1");

        spew.environments().promote("web", StartOptions.defaults());
        assertThat(versions()).containsOnly("2");
        assertThat(progress).extracting(p -> p.phase() + " " + p.fromVersion() + "->" + p.toVersion() + " "
                + p.replaced() + "/" + p.total()).containsExactly("started 1->2 0/4", "replaced 1->2 1/4",
                "paused 1->2 1/4", "started 1->2 1/4", "paused 1->2 1/4", "promoted 1->2 1/4", "started 1->2 1/4",
                "replaced 1->2 3/4", "replaced 1->2 4/4", "done 1->2 4/4");
        assertThatThrownBy(() -> spew.environments().promote("web", StartOptions.defaults()))
                .hasMessageContaining("appliance web has no roll waiting for a promotion");
    }

    @Test
    void rollsBackToAnOlderVersion() throws Exception {
        String update = "{ max_parallel: 3 }";
        for (String version : List.of("1", "2", "3")) {
            spew.environments().start(write(web(version, 3, update, "true")), null, StartOptions.defaults());
        }
        assertThat(versions()).containsOnly("3");

        long started = System.nanoTime();
        spew.environments().rollback("web", 1, StartOptions.defaults());
        System.out.printf("rollback of 3 shell instances: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(versions()).containsOnly("1");
        assertThat(spew.environments().history("web")).extracting(ApplianceVersion::note)
                .containsExactly("start", "start", "start", "rollback to 1");
        assertThat(spew.environments().history("web").get(3).fingerprint())
                .isEqualTo(spew.environments().history("web").get(0).fingerprint());

        spew.environments().rollback("web", null, StartOptions.defaults());
        assertThat(versions()).as("the version before the last: 3").containsOnly("3");
        assertThatThrownBy(() -> spew.environments().rollback("web", 9, StartOptions.defaults()))
                .hasMessageContaining("appliance web has no version 9 (versions: 1 to 5)");
        assertThat(spew.environments().start(write(web("3", 3, update, "true")), null, StartOptions.defaults())
                .steps()).as("the file says version 3 too: nothing to roll").isEmpty();
    }

    @Test
    void aRollingRestartRestartsTwoAtATime() throws Exception {
        spew.environments().start(write(web("1", 4, "{ max_parallel: 2, min_healthy_time: 100ms }", "true")), null,
                StartOptions.defaults());
        Map<Integer, Long> pids = new TreeMap<>();
        spew.instances().list().forEach(i -> pids.put(i.spec().index(), i.pid()));
        List<RollProgress> progress = new CopyOnWriteArrayList<>();
        try (Registration registration = spew.environments().onRollProgress(progress::add)) {
            spew.environments().restart("web");
        }
        assertThat(spew.instances().list()).allSatisfy(i -> {
            assertThat(i.pid()).isNotEqualTo(pids.get(i.spec().index()));
            assertThat(i.restarts()).isEqualTo(1);
        });
        assertThat(progress).extracting(RollProgress::detail).containsExactly(null, "web-1, web-2", "web-3, web-4", null);
        assertThat(progress).as("a restart goes from the version to itself")
                .allSatisfy(p -> assertThat(p.fromVersion()).isEqualTo(1).isEqualTo(p.toVersion()));
    }

    @Test
    void aRestartedEngineGoesOnWithARoll() throws Exception {
        String update = "{ max_parallel: 1, min_healthy_time: 700ms }";
        spew.environments().start(write(web("1", 3, update, "true")), null, StartOptions.defaults());
        List<RollProgress> progress = new CopyOnWriteArrayList<>();
        spew.environments().onRollProgress(progress::add);
        EnvironmentFiles v2 = write(web("2", 3, update, "true"));
        Thread roll = new Thread(() -> {
            try {
                spew.environments().start(v2, null, StartOptions.defaults());
            } catch (RuntimeException expected) {
                // the engine closes under it
            }
        });
        roll.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (progress.stream().noneMatch(p -> p.phase() == RollProgress.Phase.REPLACED) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(progress).extracting(RollProgress::phase).contains(RollProgress.Phase.REPLACED);
        spew.close();
        roll.join(10_000);
        Map<String, String> halfway = versionsByName();
        assertThat(halfway.values()).as("halfway: " + halfway).contains("1", "2");

        spew = SpewEngine.builder().dataDirectory(data).start();
        deadline = System.nanoTime() + 20_000_000_000L;
        while (!versions().equals(List.of("2", "2", "2")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(versions()).containsExactly("2", "2", "2");
        assertThat(spew.environments().start(v2, null, StartOptions.defaults()).steps()).isEmpty();
    }

    private EnvironmentFiles write(String content) throws IOException {
        Path file = files.resolve("spew.yaml");
        Files.writeString(file, content);
        return EnvironmentFileLoader.load(file);
    }

    private List<String> versions() {
        return List.copyOf(versionsByName().values());
    }

    private Map<String, String> versionsByName() {
        Map<String, String> versions = new TreeMap<>();
        spew.instances().list().forEach(i -> versions.put(i.name(), i.spec().env().get("VERSION")));
        return versions;
    }

    private Map<String, String> ids() {
        Map<String, String> ids = new TreeMap<>();
        spew.instances().list().forEach(i -> ids.put(i.name(), i.id().toString()));
        return ids;
    }

    private List<String> running() {
        return spew.instances().list().stream().filter(i -> i.state() == InstanceState.RUNNING)
                .map(Instance::name).sorted().toList();
    }
}
