package io.spew.impl;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the engine (as root): what an instance leaves behind never outlives it, across engines. */
class ContainmentEngineIT {
    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids/spew");

    @TempDir
    Path data;

    @TempDir
    Path files;

    private Spew spew;

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive())
                    .forEach(i -> spew.instances().stop(i.id().value()));
            spew.close();
        }
    }

    @Test
    void aNewEngineKillsWhatAnInstanceLeftWhenItsMainProcessDiedUnwatched() throws Exception {
        Path grandchildPid = files.resolve("grandchild.pid");
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.appliances().apply("leaver.yaml", "name: leaver\nruntime: shell\ncommand: [\"/bin/sh\", \"-c\","
                + " \"setsid sh -c 'echo $$ > " + grandchildPid + "; exec sleep 1000' & exec sleep 1000\"]\n");
        Instance instance = spew.instances().run(RunRequest.of("leaver"));
        long grandchild = awaitPid(grandchildPid);
        spew.close();
        spew = null;
        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();
        assertThat(isAlive(grandchild)).isTrue();

        spew = SpewEngine.builder().dataDirectory(data).start();

        awaitTrue(() -> spew.instances().get("leaver-1").state() == InstanceState.CRASHED);
        awaitTrue(() -> !isAlive(grandchild));
        assertThat(PIDS.resolve(instance.id().value())).doesNotExist();
    }

    @Test
    void aStoppedAndRemovedInstanceLeavesNoCgroup() throws Exception {
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.appliances().apply("forker.yaml", "name: forker\nruntime: shell\n"
                + "command: [\"/bin/sh\", \"-c\", \"setsid sleep 1000 & exec sleep 1000\"]\n");
        Instance instance = spew.instances().run(RunRequest.of("forker"));
        Path cgroup = PIDS.resolve(instance.id().value());
        assertThat(cgroup).isDirectory();

        assertThat(spew.instances().stop("forker-1").state()).isEqualTo(InstanceState.STOPPED);
        assertThat(cgroup).doesNotExist();
        // A cgroup left by an engine that ended while cleaning up goes with the instance.
        Files.createDirectory(cgroup);
        spew.instances().remove("forker-1");
        assertThat(cgroup).doesNotExist();
    }

    private static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static long awaitPid(Path file) throws Exception {
        awaitTrue(() -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(file).trim());
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
