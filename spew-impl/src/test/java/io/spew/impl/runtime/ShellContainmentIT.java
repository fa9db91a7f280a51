package io.spew.impl.runtime;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceId;
import io.spew.impl.os.LinuxHostProcesses;
import io.spew.instance.InstanceSpec;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.runtime.shell.ShellRuntimeFactory;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell runtime contains each instance in its cgroup (as root): nothing of a stopped instance survives. */
class ShellContainmentIT {
    private static final RuntimeContext CONTEXT = RealRuntimeContext.CONTEXT;

    @TempDir
    Path directory;

    private final String instanceId = InstanceId.random().value();
    private InstanceRuntime runtime;

    @BeforeEach
    void createRuntime() {
        assertThat(CONTEXT.processes().tracksCgroups()).as("cgroups are writable as root").isTrue();
        runtime = new ShellRuntimeFactory().create(CONTEXT);
    }

    @AfterEach
    void cleanUp() {
        CONTEXT.processes().killAll(instanceId);
        runtime.close();
    }

    @Test
    void stopLeavesNoProcessOfAnInstanceWhoseGrandchildCalledSetsid() throws Exception {
        Path grandchildPid = directory.resolve("grandchild.pid");
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RuntimeHandle handle = start("setsid sh -c 'echo $$ > " + grandchildPid + "; exec sleep 1000' & sleep 1000",
                exit);
        long grandchild = awaitPid(grandchildPid);
        assertThat(isAlive(grandchild)).isTrue();

        runtime.stop(handle, new StopPolicy(Signal.SIGTERM, Duration.ofSeconds(10)));

        assertThat(exit.get(20, SECONDS)).isEqualTo(ExitStatus.signaled("SIGTERM"));
        assertThat(isAlive(grandchild)).as("grandchild %d", grandchild).isFalse();
        assertThat(CONTEXT.processes().cgroupProcesses(instanceId)).isEmpty();
        assertThat(Path.of("/sys/fs/cgroup/pids/spew", instanceId)).doesNotExist();
    }

    @Test
    void whatAMainProcessLeavesBehindGoesWhenItEnds() throws Exception {
        Path grandchildPid = directory.resolve("grandchild.pid");
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start("setsid sh -c 'echo $$ > " + grandchildPid + "; exec sleep 1000' &"
                + " while [ ! -s " + grandchildPid + " ]; do sleep 0.01; done; exit 3", exit);

        assertThat(exit.get(20, SECONDS)).isEqualTo(ExitStatus.exited(3));

        long grandchild = Long.parseLong(Files.readString(grandchildPid).trim());
        assertThat(isAlive(grandchild)).as("grandchild %d", grandchild).isFalse();
        assertThat(CONTEXT.processes().cgroupProcesses(instanceId)).isEmpty();
    }

    @Test
    void aChildForkedAtOnceIsBornInTheInstancesCgroup() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RuntimeHandle handle = start("sleep 1000 & exec sleep 1000", exit);
        awaitTrue(() -> CONTEXT.processes().cgroupProcesses(instanceId).size() == 2);
        List<Long> processes = CONTEXT.processes().cgroupProcesses(instanceId);
        assertThat(processes).contains(handle.pid());

        runtime.stop(handle, StopPolicy.DEFAULT);

        assertThat(exit.get(20, SECONDS)).isEqualTo(ExitStatus.signaled("SIGTERM"));
        assertThat(processes).noneMatch(ShellContainmentIT::isAlive);
    }

    @Test
    void theStopTimeoutKillsEverythingInTheCgroup() throws Exception {
        Path childPid = directory.resolve("child.pid");
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        // Both ignore the stop signal; the child left the main process's session and group.
        RuntimeHandle handle = start("trap '' TERM; setsid sh -c 'echo $$ > " + childPid + "; exec sleep 1000' &"
                + " exec sleep 1000", exit);
        long child = awaitPid(childPid);

        runtime.stop(handle, new StopPolicy(Signal.SIGTERM, Duration.ofMillis(300)));

        assertThat(exit.get(20, SECONDS)).isEqualTo(ExitStatus.signaled("SIGKILL"));
        assertThat(isAlive(child)).as("child %d", child).isFalse();
        assertThat(CONTEXT.processes().cgroupProcesses(instanceId)).isEmpty();
    }

    @Test
    void aNewRuntimeKillsWhatAnInstanceLeftWhenItEndedUnwatched() throws Exception {
        Path grandchildPid = directory.resolve("grandchild.pid");
        InstanceSpec spec = spec("setsid sh -c 'echo $$ > " + grandchildPid + "; exec sleep 1000' & exec sleep 1000");
        LaunchRequest request = request(spec);
        RuntimeHandle handle;
        // An engine that starts the instance and goes away: its runtime stops watching, the processes stay.
        try (LinuxHostProcesses processes = new LinuxHostProcesses()) {
            InstanceRuntime first = new ShellRuntimeFactory().create(new EngineRuntimeContext(processes,
                    CONTEXT.scheduler()));
            handle = first.start(request, (ended, status) -> {});
            first.close();
        }
        long grandchild = awaitPid(grandchildPid);
        // The main process dies while no runtime watches; this JVM (its parent) reaps it, as init would.
        CompletableFuture<ExitStatus> reaped = new CompletableFuture<>();
        CONTEXT.processes().watch(handle.pid(), reaped::complete);
        CONTEXT.processes().signal(handle.pid(), Signal.SIGKILL);
        reaped.get(20, SECONDS);
        assertThat(CONTEXT.processes().stillRuns(handle)).isFalse();
        assertThat(isAlive(grandchild)).isTrue();

        assertThat(runtime.recover(handle, request, (ended, status) -> {})).isEmpty();

        assertThat(isAlive(grandchild)).as("grandchild %d", grandchild).isFalse();
        assertThat(CONTEXT.processes().cgroupProcesses(instanceId)).isEmpty();
    }

    private RuntimeHandle start(String script, CompletableFuture<ExitStatus> exit) {
        return runtime.start(request(spec(script)), (ended, status) -> exit.complete(status));
    }

    private InstanceSpec spec(String script) {
        return new InstanceSpec("contained", "contained", 1, "shell", List.of("/bin/sh", "-c", script),
                Map.of("PATH", "/usr/bin:/bin"), null, StopPolicy.DEFAULT, Map.of());
    }

    private LaunchRequest request(InstanceSpec spec) {
        return new LaunchRequest(instanceId, spec, directory, directory.resolve("out"), directory.resolve("err"));
    }

    static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static long awaitPid(Path file) throws Exception {
        awaitTrue(() -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(file).trim());
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
