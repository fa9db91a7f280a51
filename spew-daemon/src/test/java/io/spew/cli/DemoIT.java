package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        String prefix = " " + data.toAbsolutePath() + "/";
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(line -> line.contains(prefix));
    }

    @Test
    void runsShellInstancesAndAContainerWhereNspawnCanRun() {
        SpewProcesses.Result demo = spew.ok("demo");
        assertThat(demo.stdout()).contains("hello-1 ", "hello-2 ", "hello-3 ", "Try next:");
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        if (nspawn.passed() || "true".equals(System.getenv("CI"))) {
            assertThat(demo.stdout()).as(demo.toString())
                    .contains("hello-box-1 | hello from hello-box-1, a container of busybox")
                    .containsPattern("made +sha256:[0-9a-f]{64} signed by [0-9A-F]{40}");
            SpewProcesses.Result again = spew.ok("demo");
            assertThat(again.stdout()).contains("hello-box-1 already running");
        } else {
            assertThat(demo.stdout()).contains("No container this time: runtime nspawn cannot run here ("
                    + nspawn.reason() + ")");
        }
    }
}
