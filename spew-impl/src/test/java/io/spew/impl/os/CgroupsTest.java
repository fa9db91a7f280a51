package io.spew.impl.os;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a process joins its cgroup, against a plain directory laid out like a cgroup v2 hierarchy (no root needed). */
class CgroupsTest {
    @TempDir
    Path directory;

    @Test
    void withoutAHierarchyDetectionSaysWhy() {
        assertThatThrownBy(() -> Cgroups.detect(directory))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_UNAVAILABLE))
                .hasMessage("no cgroup v2 and no cgroup v1 pids hierarchy under " + directory
                        + ": mount one to contain instances in cgroups");
    }

    @Test
    void theProcessWritesItsOwnPidToTheGroupThenRunsTheProgramWithItsArguments() throws Exception {
        Path hierarchy = Files.createDirectories(directory.resolve("hierarchy"));
        Files.createFile(hierarchy.resolve("cgroup.controllers"));
        Path out = directory.resolve("out");
        try (LinuxHostProcesses processes = new LinuxHostProcesses(Optional.of(Cgroups.detect(hierarchy)))) {
            SpawnedProcess process = processes.spawn(new SpawnRequest(List.of("printf", "%s|", "one two", "$0"),
                    Map.of("PATH", "/usr/bin:/bin"), null, out, out, true, "abc"));
            CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
            processes.watch(process.pid(), exit::complete);

            assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.exited(0));
            assertThat(Files.readString(out)).isEqualTo("one two|$0|");
            assertThat(Files.readString(hierarchy.resolve("spew/abc/cgroup.procs"))).isEqualTo(process.pid() + "\n");
            assertThat(processes.cgroupProcesses("abc")).containsExactly(process.pid());
        }
    }

    @Test
    void aMissingProgramFailsTheSpawn() throws Exception {
        Path hierarchy = Files.createDirectories(directory.resolve("hierarchy"));
        Files.createFile(hierarchy.resolve("cgroup.controllers"));
        try (LinuxHostProcesses processes = new LinuxHostProcesses(Optional.of(Cgroups.detect(hierarchy)))) {
            Path out = directory.resolve("out");
            assertThatThrownBy(() -> processes.spawn(new SpawnRequest(List.of("/no/such/program"), Map.of(), null,
                    out, out, true, "abc")))
                    .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED))
                    .hasMessage("cannot start '/no/such/program': /no/such/program does not exist");
        }
    }
}
