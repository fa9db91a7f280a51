package io.spew.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end through the {@link Spew} facade, with real processes. */
class SpewEngineTest {
    private static final String SLEEPER = """
            name: sleeper
            runtime: shell
            command: ["/bin/sh", "-c", "echo hello from ${instance.name} index ${instance.index} $GREETING; exec sleep 300"]
            env:
              GREETING: "${greeting}"
            options:
              greeting: hi
            stop: { signal: TERM, timeout: 5s }
            """;

    @TempDir
    Path data;

    private Spew spew;

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive())
                    .forEach(i -> spew.instances().stop(i.id().value()));
            spew.close();
        }
    }

    private Spew engine() {
        return SpewEngine.builder().dataDirectory(data).start();
    }

    @Test
    void runsAnApplianceRendersItsValuesAndStopsIt() throws Exception {
        spew = engine();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        Instance instance = spew.instances().run(RunRequest.of("sleeper").withSetting("greeting", "howdy"));

        assertThat(instance.name()).isEqualTo("sleeper-1");
        assertThat(instance.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(instance.pid()).isNotNull();
        assertThat(awaitLog("sleeper-1", "\n")).isEqualTo("hello from sleeper-1 index 1 howdy\n");

        Instance stopped = spew.instances().stop("sleeper-1");
        assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(stopped.exitStatus()).isEqualTo(ExitStatus.signaled("SIGTERM"));
        assertThat(Files.exists(Path.of("/proc", instance.pid().toString()))).isFalse();
        assertThat(spew.instances().run(RunRequest.of("sleeper")).name()).isEqualTo("sleeper-2");
    }

    @Test
    void aCrashIsRecordedWithItsExitCode() {
        spew = engine();
        spew.appliances().apply("crash.yaml", "name: crash\nruntime: shell\ncommand: exit 4\n");
        Instance instance = spew.instances().run(RunRequest.of("crash"));
        Instance ended = await(instance.name(), i -> !i.state().isActive());
        assertThat(ended.state()).isEqualTo(InstanceState.CRASHED);
        assertThat(ended.exitStatus()).isEqualTo(ExitStatus.exited(4));
        assertThat(ended.finishedAt()).isNotNull();
    }

    @Test
    void aCommandThatCannotStartFailsAtOnce() {
        spew = engine();
        spew.appliances().apply("bad.yaml", "name: bad\nruntime: shell\ncommand: [no-such-command-anywhere]\n");
        assertThatThrownBy(() -> spew.instances().run(RunRequest.of("bad")))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED);
                    assertThat(e.getMessage()).contains("no-such-command-anywhere");
                });
        assertThat(spew.instances().get("bad-1").state()).isEqualTo(InstanceState.FAILED);
    }

    @Test
    void appliancesWithUnknownKeysAreRefusedNamingFileAndLine() {
        spew = engine();
        assertThatThrownBy(() -> spew.appliances().apply("web.yaml", "name: web\nruntime: shell\ncomand: [true]\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith("web.yaml:3:").contains("comand").contains("command");
                });
        assertThatThrownBy(() -> spew.appliances().apply("broken.yaml", "name: [unclosed\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).startsWith("broken.yaml:"));
        assertThatThrownBy(() -> spew.appliances().apply("stop.yaml", "name: s\ncommand: true\nstop:\n  signal: NOPE\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).startsWith("stop.yaml:4:11:"));
        assertThat(spew.appliances().list()).isEmpty();
    }

    @Test
    void aValueWithoutATemplateIsAnErrorThatNamesIt() {
        spew = engine();
        assertThatThrownBy(() -> spew.appliances().apply("t.yaml", "name: t\ncommand: [echo, '${nosuch}']\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith("t.yaml:2:17:").contains("${nosuch}");
                });
        spew.appliances().apply("t.yaml", "name: t\ncommand: [echo, '${env.SPEW_NO_SUCH_VARIABLE}']\n");
        assertThatThrownBy(() -> spew.instances().run(RunRequest.of("t")))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).contains("${env.SPEW_NO_SUCH_VARIABLE}");
                });
        assertThatThrownBy(() -> spew.instances().run(RunRequest.of("t").withSetting("other", "x")))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("other"));
        assertThat(spew.instances().list()).isEmpty();
    }

    @Test
    void unknownInstancesAreNotFound() {
        spew = engine();
        assertThatThrownBy(() -> spew.instances().get("nosuch"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND));
        assertThatThrownBy(() -> spew.instances().run(RunRequest.of("nosuch")))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.APPLIANCE_NOT_FOUND));
    }

    @Test
    void aSecondEngineOnTheSameDataDirectoryRefuses() {
        spew = engine();
        assertThatThrownBy(this::engine).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATA_DIRECTORY_LOCKED);
            assertThat(e.getMessage()).contains(Long.toString(ProcessHandle.current().pid()));
        });
    }

    @Test
    void instancesOutliveTheEngineAndAreAdoptedByTheNextOne() {
        spew = engine();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        Instance running = spew.instances().run(RunRequest.of("sleeper"));
        spew.appliances().apply("short.yaml", "name: short\ncommand: sleep 1; exit 5\n");
        Instance shortLived = spew.instances().run(RunRequest.of("short"));
        spew.close();
        spew = null;
        assertThat(Files.exists(Path.of("/proc", running.pid().toString()))).isTrue();
        awaitGone(shortLived.pid());

        // The short one ended while no engine watched; as it is a child of this very JVM, the next
        // engine still reaps it and learns its exit code.
        spew = engine();
        Instance adopted = spew.instances().get("sleeper-1");
        assertThat(adopted.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(adopted.pid()).isEqualTo(running.pid());
        Instance ended = await("short-1", i -> !i.state().isActive());
        assertThat(ended.state()).isEqualTo(InstanceState.CRASHED);
        assertThat(ended.exitStatus()).isEqualTo(ExitStatus.exited(5));

        assertThat(spew.instances().stop("sleeper-1").state()).isEqualTo(InstanceState.STOPPED);
        awaitGone(running.pid());
    }

    @Test
    void endedInstancesAreStillThereAfterARestartOfTheEngine() {
        spew = engine();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        spew.instances().run(RunRequest.of("sleeper"));
        spew.instances().stop("sleeper-1");
        spew.close();
        spew = engine();
        Instance stopped = spew.instances().get("sleeper-1");
        assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(stopped.exitStatus()).isEqualTo(ExitStatus.signaled("SIGTERM"));
        assertThat(spew.appliances().get("sleeper").options()).containsEntry("greeting", "hi");
    }

    @Test
    void removeRefusesARunningInstanceAndDeletesAStoppedOne() {
        spew = engine();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        Instance instance = spew.instances().run(RunRequest.of("sleeper"));
        assertThatThrownBy(() -> spew.instances().remove("sleeper-1"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        spew.instances().stop(instance.id().value().substring(0, 6));
        spew.instances().remove("sleeper-1");
        assertThat(spew.instances().list()).isEmpty();
        assertThat(data.resolve("instances").resolve(instance.id().value())).doesNotExist();
    }

    @Test
    void restartRunsANewProcessAndCountsIt() {
        spew = engine();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        Instance first = spew.instances().run(RunRequest.of("sleeper"));
        Instance second = spew.instances().restart("sleeper-1");
        assertThat(second.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(second.restarts()).isEqualTo(1);
    }

    private String awaitLog(String instance, String text) throws IOException, InterruptedException {
        Path log = spew.instances().log(instance, LogStream.STDOUT);
        for (int i = 0; i < 500; i++) {
            String content = Files.readString(log);
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(log + " never held " + text);
    }

    private Instance await(String ref, Predicate<Instance> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Instance instance = spew.instances().get(ref);
            if (condition.test(instance)) {
                return instance;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(ref + " never reached the expected state: " + spew.instances().get(ref));
    }

    private static void awaitGone(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    return;
                }
                Thread.sleep(20);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("process " + pid + " still runs");
    }
}
