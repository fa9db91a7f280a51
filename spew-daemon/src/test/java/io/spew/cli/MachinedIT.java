package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.testing.BusyboxRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where systemd runs the host, an nspawn instance is a machine of systemd-machined ({@code machinectl} lists
 * it, under the instance's name) and its limits are properties of the machine's scope; the machine and its
 * scope go when the instance stops, and its overlay with {@code rm}. PID 1 of this machine is not systemd, so
 * the daemon runs in a {@link SystemdHost}: this machine's own root booted by systemd in a container.
 */
class MachinedIT extends DaemonProcessTest {
    private static final String APPLIANCE = "machined" + ProcessHandle.current().pid();
    private static final String NAME = APPLIANCE + "-1";

    @Test
    void aContainerIsAMachineWhoseScopeHoldsItsLimits() throws Exception {
        Path box = BusyboxRoot.make(temporary.resolve("box"), "echo ready; exec sleep 1000");
        try (SystemdHost host = SystemdHost.boot(Files.createDirectory(temporary.resolve("host")),
                "spewsd" + ProcessHandle.current().pid(), List.of(temporary))) {
            spew.namespacesOf(host.init());
            spew.buildAndImport(box, "box", "1", temporary.resolve("box.tar.gz"));
            spew.ok("appliance", "apply", Files.writeString(temporary.resolve("appliance.yaml"), """
                    name: %s
                    runtime: nspawn
                    build: box@1
                    restart: never
                    config: { memory: 64M, cpus: "0.5", pids: "50" }
                    """.formatted(APPLIANCE), UTF_8).toString());
            spew.ok("run", APPLIANCE);
            assertThat(eventually(Duration.ofSeconds(30), () -> spew.run("logs", NAME).stdout().contains("ready")))
                    .as("%s ready: %s", NAME, spew.run("logs", NAME)).isTrue();

            assertThat(host.run("machinectl", "list", "--no-legend", "--no-pager")).contains(NAME);
            assertThat(host.run("machinectl", "show", NAME, "-p", "Class", "-p", "Service"))
                    .contains("Class=container", "Service=systemd-nspawn");
            String scope = host.run("machinectl", "show", NAME, "-p", "Unit", "--value").strip();
            assertThat(scope).startsWith("machine-").endsWith(".scope");
            assertThat(host.run("systemctl", "show", scope, "-p", "MemoryMax", "-p", "CPUQuotaPerSecUSec", "-p", "TasksMax"))
                    .contains("MemoryMax=" + (64L << 20), "CPUQuotaPerSecUSec=500ms", "TasksMax=50");
            assertThat(spew.instance(NAME).get("limits").toString())
                    .isEqualTo("{\"cpus\":\"0.5\",\"memory\":\"64M\",\"pids\":\"50\"}");

            spew.ok("stop", NAME);
            assertThat(eventually(Duration.ofSeconds(10), () -> !machines(host).contains(NAME)))
                    .as("machine gone: %s", machines(host)).isTrue();
            assertThat(host.run("systemctl", "show", scope, "-p", "ActiveState")).contains("ActiveState=inactive");
            String id = spew.instance(NAME).get("id").asText();
            spew.ok("rm", NAME);
            assertThat(host.run("cat", "/proc/self/mountinfo")).doesNotContain(id);
            spew.ok("daemon", "stop");
        } finally {
            spew.leaveNamespaces(); // the host is gone, and all that ran in it
        }
    }

    private static String machines(SystemdHost host) {
        try {
            return host.run("machinectl", "list", "--no-legend", "--no-pager");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
