package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The void runtime's {@code adopt} mode through the daemon: an external {@code sleep} is adopted and
 * survives a daemon restart; once it is killed, restarting the instance runs the appliance's
 * command, which the next daemon takes over too.
 */
class VoidAdoptIT extends DaemonProcessTest {
    @Test
    void anAdoptedProcessIsReplacedByTheDeclaredCommandOnceItDied() throws Exception {
        Process external = new ProcessBuilder("sleep", "1000").start();
        try {
            Path file = Files.writeString(temporary.resolve("legacy.yaml"), "name: legacy\nruntime: void\n"
                    + "command: [\"/bin/sh\", \"-c\", \"echo replacement of ${instance.name}; exec sleep 1000\"]\n"
                    + "config: { mode: adopt, pid: " + external.pid() + " }\n", UTF_8);
            spew.ok("appliance", "apply", file.toString());
            spew.ok("run", "legacy");
            assertThat(spew.instance("legacy-1").get("pid").asLong()).isEqualTo(external.pid());

            spew.ok("daemon", "stop");
            spew.ok("daemon", "start");
            JsonNode adopted = spew.instance("legacy-1");
            assertThat(adopted.get("state").asText()).as("%s", adopted).isEqualTo("running");
            assertThat(adopted.get("pid").asLong()).isEqualTo(external.pid());

            external.destroy();
            external.waitFor();
            assertThat(eventually(Duration.ofSeconds(10), () -> !spew.instance("legacy-1").get("pid").asText()
                    .equals(Long.toString(external.pid())))).as("the daemon saw the adopted process end").isTrue();
            spew.ok("restart", "legacy-1");
            JsonNode replaced = spew.instance("legacy-1");
            long replacement = replaced.get("pid").asLong();
            assertThat(replaced.get("state").asText()).as("%s", replaced).isEqualTo("running");
            assertThat(replacement).isNotEqualTo(external.pid());
            assertThat(Files.readString(Path.of("/proc", Long.toString(replacement), "cmdline"))).startsWith("sleep");
            assertThat(eventually(Duration.ofSeconds(5), () -> spew.run("logs", "legacy-1").stdout()
                    .contains("replacement of legacy-1"))).as("the command's output is in the instance's log").isTrue();

            spew.ok("daemon", "stop");
            spew.ok("daemon", "start");
            assertThat(spew.instance("legacy-1").get("state").asText()).isEqualTo("running");
            assertThat(spew.instance("legacy-1").get("pid").asLong()).isEqualTo(replacement);
            spew.ok("stop", "legacy-1");
            assertThat(eventually(Duration.ofSeconds(5), () -> !ProcessTable.isAlive(replacement))).isTrue();
        } finally {
            external.destroyForcibly();
        }
    }
}
