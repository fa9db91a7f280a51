package io.spew.impl.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output of real instances of an engine: rotation, following, engine restarts, many instances. */
class InstanceLogsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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

    private Spew engine(LogSettings settings) {
        return SpewEngine.builder().dataDirectory(data).logs(settings).start();
    }

    private void apply(String name, String script) {
        spew.appliances().apply(name + ".yaml", "name: " + name + "\nruntime: shell\n"
                + "command: [\"/bin/sh\", \"-c\", \"" + script + "\"]\nstop: { signal: TERM, timeout: 5s }\n");
    }

    @Test
    void everyLineOfAnInstanceIsKeptOnceInOrderAcrossRotatedFiles() throws IOException {
        spew = engine(new LogSettings(16 * 1024, 1000, 1 << 20));
        apply("counter", "seq 1 100000");
        spew.instances().run(RunRequest.of("counter"));
        await(() -> !spew.instances().get("counter-1").state().isActive());
        assertThat(spew.instances().get("counter-1").state()).isEqualTo(InstanceState.STOPPED);

        LogFiles files = new LogFiles(spew.instances().log("counter-1", LogStream.STDOUT));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int generation = 0;
        while (Files.exists(files.log(generation + 1))) {
            generation++;
        }
        assertThat(generation).as("rotations").isGreaterThan(20);
        for (; generation >= 0; generation--) {
            byte[] bytes = Files.readAllBytes(files.log(generation));
            if (generation > 0) {
                assertThat(bytes[bytes.length - 1]).as("%s ends at a line's end", files.log(generation))
                        .isEqualTo((byte) '\n');
            }
            joined.writeBytes(bytes);
        }
        assertThat(joined.toString(UTF_8)).isEqualTo(lines(1, 100_000));
    }

    @Test
    void aReaderFollowsAnInstanceAcrossRotationsUntilItEnds() throws IOException {
        spew = engine(new LogSettings(2048, 1000, 1 << 20));
        apply("ticker", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo $i; "
                + "if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done");
        Instance instance = spew.instances().run(RunRequest.of("ticker"));
        Path log = spew.instances().log(instance.name(), LogStream.STDOUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader reader = LogReader.open(log, LogStart.ALL)) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (spew.instances().get(instance.name()).state().isActive()) {
                assertThat(System.nanoTime()).as("the instance ends in time").isLessThan(deadline);
                if (!reader.copyAvailable(out)) {
                    sleep(20);
                }
            }
            reader.copyAvailable(out);
        }
        assertThat(out.toString(UTF_8)).isEqualTo(lines(1, 3000));
        assertThat(Files.exists(new LogFiles(log).log(5))).as("rotated at least 5 times").isTrue();
    }

    @Test
    void whatAnInstanceWritesWhileNoEngineRunsIsReadByTheNext() throws IOException {
        LogSettings settings = new LogSettings(4096, 1000, 1 << 20);
        spew = engine(settings);
        apply("writer", "for i in $(seq 1 400); do echo $i; sleep 0.005; done; exec sleep 300");
        Instance instance = spew.instances().run(RunRequest.of("writer"));
        Path log = spew.instances().log(instance.name(), LogStream.STDOUT);
        await(() -> all(log).contains("\n20\n"));
        spew.close();
        spew = null;

        long written = Files.size(log);
        sleep(1000);
        assertThat(Files.size(log)).as("no engine reads: the output waits in the pipe").isEqualTo(written);
        assertThat(ProcessHandle.of(instance.pid())).as("the instance runs on").isPresent();

        spew = engine(settings);
        assertThat(spew.instances().get(instance.name()).state()).isEqualTo(InstanceState.RUNNING);
        await(() -> all(log).endsWith("\n400\n"));
        assertThat(all(log)).isEqualTo(lines(1, 400));
    }

    @Test
    void threadsDoNotGrowWithInstances() {
        spew = engine(LogSettings.DEFAULT);
        apply("quiet", "echo up ${instance.name}; exec sleep 300");
        spew.instances().run(RunRequest.of("quiet"));
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 200; i++) {
            spew.instances().run(RunRequest.of("quiet"));
        }
        for (int i = 1; i <= 201; i++) {
            String name = "quiet-" + i;
            Path log = spew.instances().log(name, LogStream.STDOUT);
            await(() -> all(log).equals("up " + name + "\n"));
        }
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(before + 3);
    }

    /** What a stream's files hold, oldest first. */
    private static String all(Path log) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader reader = LogReader.open(log, LogStart.ALL)) {
            reader.copyAvailable(out);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
        return out.toString(UTF_8);
    }

    private static String lines(int from, int to) {
        return new String(RotatingLogTest.numberedLines(from, to), UTF_8);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the condition holds within %s", TIMEOUT).isLessThan(deadline);
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
