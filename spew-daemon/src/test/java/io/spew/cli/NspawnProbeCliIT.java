package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With systemd-nspawn hidden (an empty device bound over it in a mount namespace of the CLI and the
 * daemon it starts), {@code spew run} of an nspawn appliance fails with exit 2 and one line saying
 * what to install; nothing is made.
 */
class NspawnProbeCliIT extends DaemonProcessTest {
    private static final Path NSPAWN = Path.of("/usr/bin/systemd-nspawn");

    @Test
    void runSaysToInstallSystemdContainerWhenNspawnIsMissing() throws Exception {
        assertThat(NSPAWN).as("this test hides %s, so it must be there", NSPAWN).isExecutable();
        spew.wrapper(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind /dev/null " + NSPAWN + " && exec \"$@\"", "sh"));
        spew.ok("appliance", "apply", Files.writeString(temporary.resolve("boxed.yaml"), """
                name: boxed
                runtime: nspawn
                command: [/bin/true]
                config: { root: /nonexistent }
                """, UTF_8).toString());

        SpewProcesses.Result run = spew.run("run", "boxed");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).startsWith("spew: ")
                .contains("systemd-nspawn not installed: install systemd-container (apt-get install systemd-container)")
                .endsWith("(RUNTIME_UNAVAILABLE)\n");
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();
        assertThat(NSPAWN).as("hidden only inside the namespace").isExecutable();
    }
}
