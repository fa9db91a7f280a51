package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.LaunchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without overlayfs, an instance runs on its own copy of the root: its writes stay there, across restarts. */
class CopiedRootIT {
    @TempDir
    Path directory;

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    @Test
    void writesLandInTheCopyAndSurviveARestart() throws Exception {
        Path lower = BusyboxRoot.make(directory.resolve("lower"), "true");
        Path instance = Files.createDirectories(directory.resolve("instance"));
        NspawnRuntime runtime = new NspawnRuntime(NspawnHost.CONTEXT, HostTools.system().nspawn().orElseThrow(),
                false, CgroupV1.SYSTEM, false);
        InstanceSpec spec = new InstanceSpec("copied", "copied", 1, "nspawn",
                List.of("/bin/sh", "-c", "echo run >> /runs; cat /runs | wc -l"), Map.of("PATH", "/bin"), null,
                StopPolicy.DEFAULT, Map.of("root", lower.toString()));
        Path stdout = instance.resolve("stdout.log");
        for (int run = 1; run <= 2; run++) {
            CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
            runtime.start(new LaunchRequest("0123456789ab", spec, instance, stdout, instance.resolve("stderr.log")),
                    (handle, status) -> exit.complete(status));
            assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(0));
        }
        assertThat(Files.readString(stdout).lines().map(String::trim)).containsExactly("1", "2");
        assertThat(instance.resolve("rootfs/runs")).exists();
        assertThat(lower.resolve("runs")).doesNotExist();
        assertThat(Mounts.isMountPoint(instance.resolve("rootfs"))).isFalse();
        assertThat(instance.resolve("merged")).doesNotExist();
    }
}
