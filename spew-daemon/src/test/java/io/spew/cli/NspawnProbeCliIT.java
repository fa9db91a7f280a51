package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With systemd-nspawn hidden (an empty device bound over it in a mount namespace of the CLI and the
 * daemon it starts), {@code spew run} of an nspawn appliance applied before fails with exit 2 and one
 * line saying what to install, and nothing is made; applying it again fails the same way, at its line.
 */
class NspawnProbeCliIT extends DaemonProcessTest {
    private static final Path NSPAWN = Path.of("/usr/bin/systemd-nspawn");
    private static final String MESSAGE =
            "systemd-nspawn not installed: install systemd-container (apt-get install systemd-container)";

    @Test
    void runAndApplySayToInstallSystemdContainerWhenNspawnIsMissing() throws Exception {
        assertThat(NSPAWN).as("this test hides %s, so it must be there", NSPAWN).isExecutable();
        Path appliance = Files.writeString(temporary.resolve("boxed.yaml"), """
                name: boxed
                runtime: nspawn
                command: [/bin/true]
                config: { root: /nonexistent }
                """, UTF_8);
        spew.ok("appliance", "apply", appliance.toString());
        spew.ok("daemon", "stop");
        spew.wrapper(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind /dev/null " + NSPAWN + " && exec \"$@\"", "sh"));

        SpewProcesses.Result run = spew.run("run", "boxed");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderrLines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).startsWith("spew: ").contains(MESSAGE).endsWith("(RUNTIME_UNAVAILABLE)\n");
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();

        SpewProcesses.Result apply = spew.run("appliance", "apply", appliance.toString());
        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(2);
        assertThat(apply.stderr()).isEqualTo("spew: " + appliance + ":2:10: runtime nspawn is not available here: "
                + MESSAGE + " (RUNTIME_UNAVAILABLE)\n");
        assertThat(NSPAWN).as("hidden only inside the namespace").isExecutable();
    }
}
