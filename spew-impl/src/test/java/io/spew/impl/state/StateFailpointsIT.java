package io.spew.impl.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.impl.SpewEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ends an engine abruptly at every step of the state write protocol, each time it is reached, and
 * checks that a new engine on the same data directory shows the last acknowledged state, or the one
 * being written once its rename happened: never empty state, never half a file, no temporary file left.
 */
class StateFailpointsIT {
    private static final int MOST_TIMES = 20;
    /** Steps before which nothing of the write is visible. */
    private static final Set<Failpoint> BEFORE_RENAME = EnumSet.of(Failpoint.TEMP_WRITTEN, Failpoint.TEMP_SYNCED);
    /** Steps after which the write is visible. */
    private static final Set<Failpoint> AFTER_RENAME = EnumSet.of(Failpoint.RENAMED, Failpoint.DIRECTORY_SYNCED);

    @TempDir
    Path work;

    @Test
    void everyFailpointLeavesTheLastAcknowledgedState() throws Exception {
        Run complete = run(work.resolve("unarmed"), null);
        assertThat(complete.exitCode()).as(complete.stderr()).isZero();
        assertThat(complete.acknowledged()).isEqualTo(StateChanges.EXPECTED.size() - 1);
        assertThat(recovered(work.resolve("unarmed"))).isEqualTo(StateChanges.EXPECTED.get(6));

        List<String> checked = new ArrayList<>();
        for (Failpoint failpoint : Failpoint.values()) {
            int time = 1;
            for (; time <= MOST_TIMES; time++) {
                Path data = work.resolve(failpoint.id() + "-" + time);
                Run run = run(data, failpoint.id() + ":" + time);
                if (run.exitCode() == 0) {
                    break;
                }
                assertThat(run.exitCode()).as(run.stderr()).isEqualTo(Failpoint.EXIT_CODE);
                assertThat(run.stderr()).contains("failpoint " + failpoint.id() + " reached");
                check(failpoint, time, run, data);
                checked.add(failpoint.id() + ":" + time + " after ack " + run.acknowledged());
            }
            assertThat(time).as(failpoint + " was never reached").isGreaterThan(1);
        }
        System.out.println("checked " + checked);
    }

    private void check(Failpoint failpoint, int time, Run run, Path data) throws Exception {
        int last = run.acknowledged();
        String before = StateChanges.EXPECTED.get(Math.max(last, 0));
        String after = StateChanges.EXPECTED.get(Math.min(last + 1, StateChanges.EXPECTED.size() - 1));
        String where = failpoint.id() + ":" + time + " after ack " + last;
        String shown = recovered(data);
        boolean severalWrites = StateChanges.SEVERAL_WRITES.contains(last + 1);
        if (BEFORE_RENAME.contains(failpoint) && !severalWrites) {
            assertThat(shown).as(where).isEqualTo(before);
        } else if (AFTER_RENAME.contains(failpoint)) {
            assertThat(shown).as(where).isEqualTo(after);
        } else {
            assertThat(shown).as(where).isIn(before, after);
        }
        try (Stream<Path> files = Files.walk(data)) {
            assertThat(files.filter(file -> AtomicFiles.isTemporary(file) || CorruptFiles.isSetAside(file)))
                    .as(where + ": temporary or corrupt files").isEmpty();
        }
    }

    /** What an engine started on {@code data} shows. */
    private static String recovered(Path data) throws InterruptedException {
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            return StateChanges.snapshot(spew);
        }
    }

    private Run run(Path data, String failpoint) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path")));
        if (failpoint != null) {
            command.add("-D" + Failpoint.PROPERTY + "=" + failpoint);
        }
        command.addAll(List.of(StateChanges.class.getName(), data.toString()));
        Path stdout = work.resolve("stdout");
        Path stderr = work.resolve("stderr");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the engine with failpoint " + failpoint + " did not end in 60 s");
        }
        int acknowledged = -1;
        for (String line : Files.readAllLines(stdout, UTF_8)) {
            if (line.startsWith("ack ")) {
                acknowledged = Integer.parseInt(line.substring(4));
            }
        }
        return new Run(process.exitValue(), acknowledged, Files.readString(stderr, UTF_8));
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private record Run(int exitCode, int acknowledged, String stderr) {}
}
