package io.spew.impl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The void runtime's {@code adopt} mode through the engine: an external process is observed, and
 * once it has ended the instance runs the appliance's command; engines that restart take over both.
 */
class VoidAdoptTest {
    private static final String COMMAND =
            "[\"/bin/sh\", \"-c\", \"echo replacement of ${instance.name}; exec sleep 300\"]";

    @TempDir
    Path data;

    private final List<Process> externals = new ArrayList<>();
    private Spew spew;

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive())
                    .forEach(i -> spew.instances().stop(i.id().value()));
            spew.close();
        }
        externals.forEach(Process::destroyForcibly);
    }

    @Test
    void observesTheProcessThenRunsTheCommandOnceItDied() throws Exception {
        Process external = external();
        spew = engine();
        applyAdopting("web", external.pid());

        Instance adopted = spew.instances().run(RunRequest.of("web"));
        assertThat(adopted.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(adopted.pid()).isEqualTo(external.pid());
        assertThat(log("web-1")).isEmpty();

        external.destroy();
        external.waitFor();
        assertThat(await("web-1", i -> !i.state().isActive()).state()).isEqualTo(InstanceState.CRASHED);

        Instance replaced = spew.instances().restart("web-1");
        assertThat(replaced.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(replaced.pid()).isNotEqualTo(external.pid());
        assertThat(awaitLog("web-1", "\n")).isEqualTo("replacement of web-1\n");
        assertThat(awaitCommandLine(replaced.pid(), "sleep")).startsWith("sleep"); // the echo's shell execs it

        // An engine that starts anew takes over the replacement; stopping it ends it.
        spew.close();
        spew = engine();
        assertThat(spew.instances().get("web-1").state()).isEqualTo(InstanceState.RUNNING);
        assertThat(spew.instances().get("web-1").pid()).isEqualTo(replaced.pid());
        assertThat(spew.instances().stop("web-1").state()).isEqualTo(InstanceState.STOPPED);
        assertThat(Files.exists(Path.of("/proc", replaced.pid().toString(), "cmdline"))).isFalse();

        // Started again, it runs the command again: the adopted process is never looked for again.
        Instance again = spew.instances().start("web-1");
        assertThat(again.pid()).isNotIn(external.pid(), replaced.pid());
    }

    @Test
    void anEngineThatStartsAnewTakesOverTheAdoptedProcess() throws Exception {
        Process external = external();
        spew = engine();
        applyAdopting("web", external.pid());
        spew.instances().run(RunRequest.of("web"));
        spew.close();

        spew = engine();
        Instance recovered = spew.instances().get("web-1");
        assertThat(recovered.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(recovered.pid()).isEqualTo(external.pid());

        external.destroy();
        external.waitFor();
        await("web-1", i -> !i.state().isActive());
        Instance replaced = spew.instances().start("web-1");
        assertThat(replaced.pid()).isNotEqualTo(external.pid());
        assertThat(awaitLog("web-1", "\n")).isEqualTo("replacement of web-1\n");
    }

    @Test
    void aProcessThatReusedTheAdoptedPidIsNotAdopted() throws Exception {
        Process other = external();
        spew = engine();
        applyAdopting("web", other.pid());
        Instance created = spew.instances().create(RunRequest.of("web"));
        // What the instance recorded when it adopted a process that had this pid earlier.
        Path directory = data.resolve("instances").resolve(created.id().value());
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        Files.writeString(directory.resolve("adopted"), other.pid() + " 1 " + bootId + "\n");

        Instance started = spew.instances().start("web-1");
        assertThat(started.pid()).isNotEqualTo(other.pid());
        assertThat(awaitLog("web-1", "\n")).isEqualTo("replacement of web-1\n");
        assertThat(other.isAlive()).isTrue();
    }

    @Test
    void aGonePidRunsTheCommandAtOnceAndIsNeverAdoptedLater() throws Exception {
        Process gone = external();
        gone.destroy();
        gone.waitFor();
        spew = engine();
        applyAdopting("web", gone.pid());
        Instance started = spew.instances().run(RunRequest.of("web"));
        assertThat(started.pid()).isNotEqualTo(gone.pid());
        assertThat(Files.readString(data.resolve("instances").resolve(started.id().value()).resolve("adopted")))
                .startsWith(gone.pid() + " 0 ");
    }

    @Test
    void adoptNeedsACommand() {
        spew = engine();
        assertThatThrownBy(() -> spew.appliances().apply("web.yaml",
                "name: web\nruntime: void\nconfig: { mode: adopt, pid: 1 }\n"))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining("mode adopt needs a command")
                .extracting(e -> ((SpewException) e).code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
        assertThatThrownBy(() -> spew.appliances().apply("web.yaml",
                "name: web\nruntime: void\ncommand: [sleep, '1']\nconfig: { mode: adopt }\n"))
                .hasMessageContaining("mode adopt needs the pid to adopt");
    }

    private void applyAdopting(String name, long pid) {
        spew.appliances().apply(name + ".yaml", "name: " + name + "\nruntime: void\ncommand: " + COMMAND
                + "\nconfig: { mode: adopt, pid: " + pid + " }\nstop: { signal: TERM, timeout: 5s }\n");
    }

    private Process external() throws IOException {
        Process process = new ProcessBuilder("sleep", "300").start();
        externals.add(process);
        return process;
    }

    private Spew engine() {
        return SpewEngine.builder().dataDirectory(data).start();
    }

    private String log(String instance) throws IOException {
        Path log = spew.instances().log(instance, LogStream.STDOUT);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String awaitLog(String instance, String text) throws IOException, InterruptedException {
        for (int i = 0; i < 500; i++) {
            String content = log(instance);
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(instance + "'s log never held " + text);
    }

    /** The command line of {@code pid} once it starts with {@code prefix} (or the last one read): exec takes a moment. */
    private static String awaitCommandLine(long pid, String prefix) throws IOException, InterruptedException {
        String commandLine = "";
        for (int i = 0; i < 500 && !commandLine.startsWith(prefix); i++) {
            commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            Thread.sleep(commandLine.startsWith(prefix) ? 0 : 10);
        }
        return commandLine;
    }

    private Instance await(String ref, Predicate<Instance> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Instance instance = spew.instances().get(ref);
            if (condition.test(instance)) {
                return instance;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(ref + " never reached the expected state: " + spew.instances().get(ref));
    }
}
