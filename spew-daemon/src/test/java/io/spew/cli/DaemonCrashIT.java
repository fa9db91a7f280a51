package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.cli.SpewProcesses.Result;
import io.spew.impl.json.Json;
import io.spew.instance.Instance;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A daemon killed with SIGKILL in the middle of a burst of state changes leaves state files that
 * all parse, and a new daemon on the same data directory adopts the instances still running. A
 * second daemon on a data directory in use refuses to start.
 */
class DaemonCrashIT extends DaemonProcessTest {
    private static final String SLEEPER = "name: sleeper\nruntime: shell\ncommand: [\"/bin/sleep\", \"1000\"]\n";
    private static final int OPERATIONS_BEFORE_KILL = 8;


    @Test
    void aDaemonKilledMidBurstLeavesParsableStateAndTheNextOneAdoptsTheInstances() throws Exception {
        Path file = Files.writeString(temporary.resolve("sleeper.yaml"), SLEEPER, UTF_8);
        spew.ok("appliance", "apply", file.toString());
        spew.ok("run", "sleeper", "--name", "keep-1");
        spew.ok("run", "sleeper", "--name", "keep-2");
        long keep1 = spew.instance("keep-1").get("pid").asLong();
        long keep2 = spew.instance("keep-2").get("pid").asLong();
        long daemon = spew.daemonPid();

        killDuringBurst(daemon);

        List<Path> stateFiles = stateFiles();
        assertThat(stateFiles.size()).as("instance files").isGreaterThanOrEqualTo(2);
        for (Path stateFile : stateFiles) {
            assertThat(parse(stateFile).id().value()).isEqualTo(stateFile.getParent().getFileName().toString());
        }

        spew.ok("daemon", "start");
        long newDaemon = spew.daemonPid();
        assertThat(newDaemon).isNotEqualTo(daemon);
        for (String name : List.of("keep-1", "keep-2")) {
            JsonNode instance = spew.instance(name);
            assertThat(instance.get("state").asText()).as("%s after the crash: %s", name, instance).isEqualTo("running");
        }
        assertThat(spew.instance("keep-1").get("pid").asLong()).isEqualTo(keep1);
        assertThat(spew.instance("keep-2").get("pid").asLong()).isEqualTo(keep2);

        spew.ok("stop", "keep-1");
        assertThat(eventually(Duration.ofSeconds(5), () -> !ProcessTable.isAlive(keep1))).as("adopted pid stopped")
                .isTrue();
        assertThat(spew.instance("keep-1").get("state").asText()).isEqualTo("stopped");
        assertThat(ProcessTable.isAlive(keep2)).isTrue();

        Result second = spew.run("daemon", "run");
        assertThat(second.exitCode()).as("a second daemon on the same data directory: %s", second).isEqualTo(4);
        assertThat(second.stderrLines()).hasSize(1);
        assertThat(second.stderr()).contains(Long.toString(newDaemon)).contains("DATA_DIRECTORY_LOCKED");
        assertThat(spew.daemonPid()).as("the first daemon still serves").isEqualTo(newDaemon);

        // a stopped instance (with an exit status) and a running one both survive a plain restart
        for (Path stateFile : stateFiles()) {
            parse(stateFile);
        }
        spew.ok("daemon", "stop");
        spew.ok("daemon", "start");
        assertThat(spew.instance("keep-1").get("state").asText()).isEqualTo("stopped");
        assertThat(spew.instance("keep-2").get("state").asText()).isEqualTo("running");
        assertThat(spew.instance("keep-2").get("pid").asLong()).isEqualTo(keep2);
    }

    /** Creates, stops, starts and removes instances through the API in a thread; SIGKILLs the daemon meanwhile. */
    private void killDuringBurst(long daemon) throws InterruptedException {
        AtomicInteger operations = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread burst = new Thread(() -> {
            for (int i = 0; !done.get() && i < 1000; i++) {
                String name = "burst-" + i;
                try {
                    call("POST", "/instances", "{\"appliance\":\"sleeper\",\"name\":\"" + name + "\"}", operations);
                    call("POST", "/instances/" + name + "/stop", null, operations);
                    if (i % 2 == 0) {
                        call("DELETE", "/instances/" + name + "?force=true", null, operations);
                    } else {
                        call("POST", "/instances/" + name + "/start", null, operations);
                    }
                } catch (IOException e) {
                    return; // the daemon is gone
                }
            }
        }, "burst");
        burst.start();
        try {
            assertThat(eventually(Duration.ofSeconds(60), () -> operations.get() >= OPERATIONS_BEFORE_KILL))
                    .as("the burst got going").isTrue();
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
            assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(daemon))).as("daemon killed")
                    .isTrue();
        } finally {
            done.set(true);
            burst.join(Duration.ofSeconds(60).toMillis());
        }
        assertThat(burst.isAlive()).isFalse();
    }

    private void call(String method, String path, String json, AtomicInteger operations) throws IOException {
        HttpResponse<String> response = spew.api(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        operations.incrementAndGet();
    }

    private List<Path> stateFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> directories = Files.list(spew.dataDirectory().resolve("instances"))) {
            for (Path directory : directories.collect(Collectors.toList())) {
                Path file = directory.resolve("instance.json");
                if (Files.exists(file)) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    /** An instance file holds the {@link Instance} record, alone or under "instance" beside engine data. */
    private static Instance parse(Path file) {
        try {
            JsonNode root = Json.mapper().readTree(file.toFile());
            JsonNode instance = root.has("instance") ? root.get("instance") : root;
            return Json.mapper().treeToValue(instance, Instance.class);
        } catch (IOException e) {
            throw new AssertionError(file + " does not parse as an Instance: " + e.getMessage(), e);
        }
    }
}
