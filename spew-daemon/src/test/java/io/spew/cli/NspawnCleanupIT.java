package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import io.spew.testing.BusyboxRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing of nspawn instances is left on the host once they end, though the daemon was killed with
 * SIGKILL while they ran and one's nspawn was killed too while no daemon watched: no mount
 * ({@code /proc/self/mountinfo} back to its baseline), no cgroup, no directory of the instance or of
 * nspawn's under {@code /run/systemd/nspawn}. Their limits show in {@code spew ps} and are in the
 * real cgroup files (machined does not run here: the cgroups are written directly).
 */
class NspawnCleanupIT extends DaemonProcessTest {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final Path NSPAWN_RUN = Path.of("/run/systemd/nspawn");
    /** The appliance: a name no other test on the host has, since machine names are the host's. */
    private static final String APPLIANCE = "left" + ProcessHandle.current().pid();
    private static final List<String> NAMES = List.of(APPLIANCE + "-1", APPLIANCE + "-2", APPLIANCE + "-3");

    @Test
    void aDaemonKilledWithRunningContainersLeavesNothingOnceTheyEnd() throws Exception {
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        assertThat(nspawn.passed()).as("nspawn must run here (root, systemd-container): %s", nspawn.reason()).isTrue();
        List<String> baseline = mounts();
        Path box = BusyboxRoot.make(temporary.resolve("box"), "echo ready; exec sleep 1000");
        spew.buildAndImport(box, "box", "1", temporary.resolve("box.tar.gz"));
        spew.ok("appliance", "apply", Files.writeString(temporary.resolve("appliance.yaml"), """
                name: %s
                runtime: nspawn
                build: box@1
                restart: never
                config: { memory: 64M, cpus: "0.5", pids: "50" }
                """.formatted(APPLIANCE), UTF_8).toString());
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : NAMES) {
            spew.ok("run", APPLIANCE);
            assertThat(eventually(Duration.ofSeconds(30), () -> spew.run("logs", name).stdout().contains("ready")))
                    .as("%s ready: %s", name, spew.run("logs", name)).isTrue();
            JsonNode instance = spew.instance(name);
            assertThat(instance.get("limits").toString()).isEqualTo("{\"cpus\":\"0.5\",\"memory\":\"64M\",\"pids\":\"50\"}");
            ids.put(name, instance.get("id").asText());
            assertLimitsInTheCgroupFiles(instance.get("id").asText());
        }
        assertThat(spew.ok("ps").stdout()).contains("cpus=0.5", "memory=64M", "pids=50");
        assertThat(mounts()).hasSize(baseline.size() + NAMES.size());

        long daemon = spew.daemonPid();
        long lastNspawn = spew.instance(NAMES.get(2)).get("pid").asLong();
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(daemon))).as("daemon killed").isTrue();
        ProcessHandle.of(lastNspawn).ifPresent(ProcessHandle::destroyForcibly); // its container lives on without it
        assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(lastNspawn))).isTrue();

        spew.ok("stop", NAMES.get(0), NAMES.get(1));
        assertThat(eventually(Duration.ofSeconds(20), () -> !spew.instance(NAMES.get(2)).get("state").asText().equals("running")))
                .as("%s is found ended: %s", NAMES.get(2), spew.instance(NAMES.get(2))).isTrue();
        for (String name : NAMES) {
            assertThat(spew.instance(name).get("state").asText()).as(name).isIn("stopped", "crashed");
        }
        spew.ok("rm", NAMES.get(0), NAMES.get(1), NAMES.get(2));

        assertThat(mounts()).as("/proc/self/mountinfo back to its baseline").isEqualTo(baseline);
        assertThat(data.resolve("instances")).isEmptyDirectory();
        List<Path> left = new ArrayList<>();
        for (Map.Entry<String, String> instance : ids.entrySet()) {
            for (Path group : cgroupsOf(instance.getValue())) {
                if (Files.exists(group)) {
                    left.add(group);
                }
            }
            Path propagate = NSPAWN_RUN.resolve("propagate").resolve(instance.getKey());
            if (Files.exists(propagate)) {
                left.add(propagate);
            }
        }
        assertThat(left).as("directories left").isEmpty();
        assertThat(ProcessTable.processesOf(ids.values())).as("processes left").isEmpty();
    }

    /** The real cgroup files hold the limits: cgroup v2 when the unified hierarchy is mounted, else v1. */
    private static void assertLimitsInTheCgroupFiles(String id) throws IOException {
        if (Files.isRegularFile(CGROUPS.resolve("cgroup.controllers"))) {
            Path group = CGROUPS.resolve("spew").resolve(id);
            assertThat(read(group.resolve("memory.max"))).isEqualTo(Long.toString(64L << 20));
            assertThat(read(group.resolve("cpu.max"))).isEqualTo("50000 100000");
            assertThat(read(group.resolve("pids.max"))).isEqualTo("50");
        } else {
            assertThat(read(CGROUPS.resolve("memory/spew").resolve(id).resolve("memory.limit_in_bytes")))
                    .isEqualTo(Long.toString(64L << 20));
            assertThat(read(CGROUPS.resolve("cpu/spew").resolve(id).resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
            assertThat(read(CGROUPS.resolve("cpu/spew").resolve(id).resolve("cpu.cfs_period_us"))).isEqualTo("100000");
            assertThat(read(CGROUPS.resolve("pids/spew").resolve(id).resolve("pids.max"))).isEqualTo("50");
        }
    }

    private static List<Path> cgroupsOf(String id) {
        return List.of(CGROUPS.resolve("spew").resolve(id), CGROUPS.resolve("unified/spew").resolve(id),
                CGROUPS.resolve("memory/spew").resolve(id), CGROUPS.resolve("cpu/spew").resolve(id),
                CGROUPS.resolve("pids/spew").resolve(id));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    /** The mounts under this test's data directory. */
    private List<String> mounts() throws IOException {
        String prefix = " " + data.toAbsolutePath() + "/";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(line -> line.contains(prefix)).toList();
    }
}
