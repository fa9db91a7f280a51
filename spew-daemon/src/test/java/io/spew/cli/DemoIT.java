package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spew demo} end to end: three shell instances and, where nspawn can run (always under CI,
 * which runs as root with systemd-container and busybox-static), a container from a signed busybox
 * build; else a note saying why not.
 */
class DemoIT {
    @TempDir
    Path temporary;

    private SpewProcesses spew;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createDirectory(temporary.resolve("data"));
        spew = new SpewProcesses(data, Files.createDirectory(temporary.resolve("scratch")));
    }

    @AfterEach
    void tearDown() throws IOException {
        spew.close();
        assertThat(mounts()).isEmpty();
    }

    /** The mounts under the data directory. */
    private List<String> mounts() throws IOException {
        String prefix = " " + data.toAbsolutePath() + "/";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(prefix)).toList();
    }

    @Test
    void runsShellInstancesAndAContainerWhereNspawnCanRun() throws IOException {
        SpewProcesses.Result demo = spew.ok("demo");
        assertThat(demo.stdout()).contains("hello-1 ", "hello-2 ", "hello-3 ", "Try next:");
        assertThat(demo.stdout().strip()).as("the demo ends with the panel's login URL")
                .containsPattern("http://127\\.0\\.0\\.1:\\d+/panel/login\\?code=[A-Za-z0-9_-]{43}$");
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        if (nspawn.passed() || "true".equals(System.getenv("CI"))) {
            assertThat(demo.stdout()).as(demo.toString())
                    .contains("hello-box-1 | hello from hello-box-1, a container of busybox")
                    .containsPattern("made +sha256:[0-9a-f]{64} signed by [0-9A-F]{40}");
            SpewProcesses.Result again = spew.ok("demo");
            assertThat(again.stdout()).contains("hello-box-1 already running");

            // A daemon killed with SIGKILL leaves the container running; the next daemon adopts it and
            // stops it, and its overlay goes.
            long daemon = spew.daemonPid();
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
            assertThat(SpewProcesses.eventually(Duration.ofSeconds(20),
                    () -> ProcessHandle.of(daemon).map(process -> !process.isAlive()).orElse(true))).isTrue();
            assertThat(spew.instance("hello-box-1").get("state").asText()).isEqualTo("running");
            assertThat(mounts()).hasSize(1);
            spew.ok("stop", "hello-box-1");
            assertThat(spew.instance("hello-box-1").get("state").asText()).isEqualTo("stopped");
            assertThat(mounts()).isEmpty();
        } else {
            assertThat(demo.stdout()).contains("No container this time: runtime nspawn cannot run here ("
                    + nspawn.reason() + ")");
        }
    }
}
