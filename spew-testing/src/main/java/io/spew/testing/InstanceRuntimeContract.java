package io.spew.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every runtime that runs processes must do. A runtime's test extends this class and says how
 * its instances run a shell script ({@link #spec}); every test here runs real processes.
 */
public abstract class InstanceRuntimeContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    protected Path directory;

    protected InstanceRuntime runtime;
    /** A new id per test: a runtime may keep host-wide state by it (a cgroup), and tests may run side by side. */
    protected final String instanceId = InstanceId.random().value();
    private Path stdout;
    private Path stderr;

    /** The factory of the runtime under test. */
    protected abstract InstanceRuntimeFactory factory();

    /** A real context: real process spawning and watching. */
    protected abstract RuntimeContext context();

    /**
     * The spec of an instance whose process runs {@code script} under {@code /bin/sh -c}, with its
     * output appended to {@code stdout} and {@code stderr}. A runtime that runs nothing itself starts
     * the process here, leading its own process group, and returns the spec that takes it over.
     */
    protected abstract InstanceSpec spec(String name, String script, StopPolicy stop, Path stdout, Path stderr);

    @BeforeEach
    void createRuntime() throws IOException {
        assertThat(factory().probe(context()).passed()).as(factory().probe(context()).reason()).isTrue();
        runtime = factory().create(context());
        Files.createDirectories(directory.resolve("logs"));
        stdout = directory.resolve("logs/stdout.log");
        stderr = directory.resolve("logs/stderr.log");
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    /** A started instance and the future of its end. */
    protected record Started(RuntimeHandle handle, CompletableFuture<ExitStatus> exit) {}

    protected Started start(String script, StopPolicy stop) {
        InstanceSpec spec = spec("contract", script, stop, stdout, stderr);
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RuntimeHandle handle = runtime.start(new LaunchRequest(instanceId, spec, directory, stdout, stderr),
                (ended, status) -> exit.complete(status));
        return new Started(handle, exit);
    }

    protected static ExitStatus await(CompletableFuture<ExitStatus> exit) {
        try {
            return exit.get(WAIT.toSeconds(), SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the instance did not end within " + WAIT, e);
        }
    }

    @Test
    void startedProcessRuns() {
        Started started = start("exec sleep 30", StopPolicy.DEFAULT);
        assertThat(context().processes().startTime(started.handle().pid())).hasValue(started.handle().startTime());
        assertThat(started.exit()).isNotDone();
        runtime.kill(started.handle(), Signal.SIGKILL);
        await(started.exit());
    }

    @Test
    void outputGoesToTheLogFiles() throws Exception {
        Started started = start("echo to-stdout; echo to-stderr >&2; sleep 0.5", StopPolicy.DEFAULT);
        assertThat(await(started.exit())).isEqualTo(ExitStatus.exited(0));
        assertThat(Files.readString(stdout)).isEqualTo("to-stdout\n");
        assertThat(Files.readString(stderr)).isEqualTo("to-stderr\n");
    }

    @Test
    void exitStatusIsReported() {
        Started started = start("sleep 0.5; exit 7", StopPolicy.DEFAULT);
        assertThat(await(started.exit())).isEqualTo(ExitStatus.exited(7));
    }

    @Test
    void stopSendsTheConfiguredSignal() throws Exception {
        Started started = start("trap 'echo got-int; exit 3' INT; echo ready; while true; do sleep 0.1; done",
                new StopPolicy(Signal.SIGINT, Duration.ofSeconds(30)));
        awaitContent(stdout, "ready");
        runtime.stop(started.handle(), new StopPolicy(Signal.SIGINT, Duration.ofSeconds(30)));
        assertThat(await(started.exit())).isEqualTo(ExitStatus.exited(3));
        assertThat(Files.readString(stdout)).contains("got-int");
    }

    @Test
    void stopOfASleepEndsItBySignal() {
        Started started = start("exec sleep 30", StopPolicy.DEFAULT);
        runtime.stop(started.handle(), StopPolicy.DEFAULT);
        assertThat(await(started.exit())).isEqualTo(ExitStatus.signaled("SIGTERM"));
    }

    @Test
    void killSendsTheSignal() {
        Started started = start("exec sleep 30", StopPolicy.DEFAULT);
        runtime.kill(started.handle(), Signal.SIGKILL);
        assertThat(await(started.exit())).isEqualTo(ExitStatus.signaled("SIGKILL"));
    }

    @Test
    void aProcessThatIgnoresTheStopSignalIsKilledAfterTheTimeout() {
        StopPolicy stop = new StopPolicy(Signal.SIGTERM, Duration.ofSeconds(1));
        Started started = start("trap '' TERM; echo ready; while true; do sleep 0.1; done", stop);
        awaitContent(stdout, "ready");
        long begin = System.nanoTime();
        runtime.stop(started.handle(), stop);
        assertThat(await(started.exit())).isEqualTo(ExitStatus.signaled("SIGKILL"));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void childProcessesStopWithTheInstance() throws Exception {
        Path childPid = directory.resolve("child.pid");
        Started started = start("sleep 300 & echo $! > " + childPid + "; wait", StopPolicy.DEFAULT);
        long child = hostPid(started.handle(), Long.parseLong(awaitContent(childPid, "\n").trim()));
        assertThat(isAlive(child)).isTrue();
        runtime.stop(started.handle(), StopPolicy.DEFAULT);
        await(started.exit());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (isAlive(child) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(isAlive(child)).as("child process %d is still alive", child).isFalse();
    }

    @Test
    void aNewRuntimeRecoversARunningInstanceAndStopsIt() {
        Started started = start("exec sleep 30", StopPolicy.DEFAULT);
        CompletableFuture<ExitStatus> recoveredExit = new CompletableFuture<>();
        try (InstanceRuntime second = factory().create(context())) {
            InstanceSpec spec = spec("ignored", "true", StopPolicy.DEFAULT, stdout, stderr);
            LaunchRequest request = new LaunchRequest(instanceId, spec, directory, stdout, stderr);
            RuntimeHandle impostor = new RuntimeHandle(started.handle().runtime(), started.handle().pid(),
                    started.handle().startTime() + 1, started.handle().bootId(), started.handle().attributes());
            assertThat(second.recover(impostor, request, (h, s) -> {})).as("a reused pid is not adopted").isEmpty();
            assertThat(second.recover(started.handle(), request, (h, status) -> recoveredExit.complete(status)))
                    .contains(started.handle());
            second.stop(started.handle(), StopPolicy.DEFAULT);
            assertThat(await(recoveredExit)).isEqualTo(ExitStatus.signaled("SIGTERM"));
        }
    }

    /**
     * The host pid of a process of the instance that its script reported ({@code $!}). A runtime whose
     * instances see pids of their own (a pid namespace) translates it; by default it is the same.
     */
    protected long hostPid(RuntimeHandle handle, long reportedPid) {
        return reportedPid;
    }

    /** Waits until the file exists and contains {@code text}; returns its content. */
    protected static String awaitContent(Path file, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(file)) {
                    String content = Files.readString(file);
                    if (content.contains(text)) {
                        return content;
                    }
                }
                Thread.sleep(10);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(file + " did not come to contain '" + text + "' within " + WAIT);
    }

    /** Whether a process exists and is not a zombie. */
    protected static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** An environment for scripts. */
    protected static Map<String, String> scriptEnvironment() {
        return Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL", "C");
    }
}
