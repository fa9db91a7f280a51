package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.cli.SpewProcesses.Result;
import io.spew.impl.logs.LogSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spew logs} on a daemon that rotates instance output at 4 KiB: following across rotations
 * until the instance ends, every line kept when the daemon is killed in the middle of a stream (and
 * what the instance wrote meanwhile), {@code --tail} and {@code --since} reaching back across
 * rotated files.
 */
class LogsIT extends DaemonProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeEach
    void smallLogFiles() {
        spew.environment(LogSettings.FILE_BYTES_VARIABLE, "4096");
        spew.environment(LogSettings.FILES_VARIABLE, "1000");
    }

    @Test
    void followPrintsEveryLineOnceAcrossRotationsAndEndsWithTheInstance() throws Exception {
        Path go = temporary.resolve("go");
        apply("ticker", "seq 1 100; while [ ! -e " + go + " ]; do sleep 0.05; done; i=100; "
                + "while [ $i -lt 5000 ]; do i=$((i+1)); echo $i; if [ $((i % 250)) -eq 0 ]; then sleep 0.1; fi; done");
        spew.ok("run", "ticker");
        CompletableFuture<Result> follow = CompletableFuture.supplyAsync(() -> spew.run("logs", "ticker-1", "-f"));
        assertThat(eventually(TIMEOUT, () -> ProcessHandle.current().children().anyMatch(child ->
                child.info().arguments().map(arguments -> String.join(" ", arguments).endsWith("logs ticker-1 -f"))
                        .orElse(false)))).as("spew logs -f runs").isTrue();
        Thread.sleep(2500); // its JVM starts and it prints the first 100 lines
        Files.createFile(go);

        Result result = follow.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).isEqualTo(lines(1, 5000));
        Path logs = logsOf("ticker-1");
        assertThat(logs.resolve("stdout.log.4")).as("rotated while followed").exists();
    }

    @Test
    void noLineIsLostWhenTheDaemonIsKilledMidStreamAndTheInstanceWritesOn() throws Exception {
        // The writer waits at line 30,000 until the daemon is dead, then writes on: however slow the
        // machine, the second half is written while no daemon runs.
        Path gate = temporary.resolve("gate");
        apply("writer", "i=0; while [ $i -lt 60000 ]; do i=$((i+1)); echo $i; if [ $i -eq 30000 ]; then "
                + "while [ ! -e " + gate + " ]; do sleep 0.05; done; fi; done; exec sleep 300");
        spew.ok("run", "writer");
        long daemon = spew.daemonPid();
        assertThat(eventually(TIMEOUT, () -> lastLine("writer-1") == 30000)).isTrue();
        Path current = logsOf("writer-1").resolve("stdout.log");
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(daemon))).isTrue();
        // no spew command until the daemon is started again: any would start it
        long size = Files.size(current);
        Files.createFile(gate);
        Thread.sleep(1500);
        assertThat(Files.size(current)).as("nobody reads the pipe while the daemon is gone").isEqualTo(size);
        assertThat(Files.readString(current, UTF_8)).as("killed mid-stream").doesNotContain("\n60000\n");

        spew.ok("daemon", "start");
        assertThat(eventually(TIMEOUT, () -> lastLine("writer-1") == 60000)).isTrue();
        assertThat(spew.ok("logs", "writer-1").stdout()).isEqualTo(lines(1, 60000));
    }

    @Test
    void tailAndSinceReachBackAcrossRotatedFiles() throws Exception {
        Path go = temporary.resolve("go");
        apply("phases", "seq 1 3000; while [ ! -e " + go + " ]; do sleep 0.05; done; seq 3001 6000; exec sleep 300");
        spew.ok("run", "phases");
        assertThat(eventually(TIMEOUT, () -> lastLine("phases-1") == 3000)).isTrue();
        Thread.sleep(1200);
        Instant between = Instant.now();
        Thread.sleep(1200);
        Files.createFile(go);
        assertThat(eventually(TIMEOUT, () -> lastLine("phases-1") == 6000)).isTrue();
        assertThat(logsOf("phases-1").resolve("stdout.log.5")).exists();

        assertThat(spew.ok("logs", "phases-1", "--tail", "4500").stdout()).isEqualTo(lines(1501, 6000));
        assertThat(spew.ok("logs", "phases-1", "--since", between.toString()).stdout()).isEqualTo(lines(3001, 6000));
        assertThat(spew.ok("logs", "phases-1", "--since", "1h").stdout()).isEqualTo(lines(1, 6000));
        assertThat(spew.ok("logs", "phases-1", "--since", "10m", "--tail", "10").stdout())
                .isEqualTo(lines(5991, 6000));
        Result bad = spew.run("logs", "phases-1", "--since", "yesterday");
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
        assertThat(bad.stderrLines()).hasSize(1);
        assertThat(bad.stderr()).contains("--since");
    }

    private void apply(String name, String script) throws IOException {
        Path file = Files.writeString(temporary.resolve(name + ".yaml"), "name: " + name + "\nruntime: shell\n"
                + "command: [\"/bin/sh\", \"-c\", \"" + script + "\"]\nstop: { signal: TERM, timeout: 5s }\n", UTF_8);
        spew.ok("appliance", "apply", file.toString());
    }

    private Path logsOf(String name) {
        return spew.dataDirectory().resolve("instances").resolve(spew.instance(name).get("id").asText())
                .resolve("logs");
    }

    /** The number on the last line of an instance's stdout, or 0. */
    private int lastLine(String name) {
        String last = spew.ok("logs", name, "--tail", "1").stdout().trim();
        return last.isEmpty() ? 0 : Integer.parseInt(last);
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }
}
