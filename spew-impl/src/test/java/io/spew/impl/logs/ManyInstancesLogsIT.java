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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine in a child JVM held to 1,000 open files runs 500 instances at once, each writing 1,000
 * numbered lines in bursts (the first as it starts, the others once all run): every line of every instance is kept once, and the engine's descriptors
 * stay under the limit. An instance costs its pipes and files, not descriptors: without that, 500
 * instances need some 1,500 descriptors (a pidfd and two pipes each).
 */
class ManyInstancesLogsIT {
    private static final int LIMIT = 1000;
    private static final int INSTANCES = 500;
    private static final int BURSTS = 10;
    private static final int BURST_LINES = 100;
    private static final long TIMEOUT_MINUTES = 10;

    @TempDir
    Path data;

    @Test
    void fiveHundredInstancesKeepEveryLineWithinAThousandDescriptors() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = data.resolve("child.out");
        Process child = new ProcessBuilder("prlimit", "--nofile=" + LIMIT + ":" + LIMIT, java,
                "-cp", System.getProperty("java.class.path"), Engine.class.getName(),
                data.resolve("engine").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)).as("the child ends in time").isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<String> report = Files.readAllLines(output, UTF_8);
        String all = String.join("\n", report);
        assertThat(report).as(all).contains("started " + INSTANCES, "active " + INSTANCES, "stopped " + INSTANCES,
                "checked " + INSTANCES);
        assertThat(all).doesNotContain("Too many open files", "EMFILE");
        long most = report.stream().filter(line -> line.startsWith("most descriptors "))
                .mapToLong(line -> Long.parseLong(line.substring("most descriptors ".length()))).findFirst()
                .orElseThrow();
        assertThat(most).as("the child's most open descriptors").isLessThan(LIMIT).isGreaterThan(INSTANCES);
        assertThat(child.exitValue()).as(all).isZero();
    }

    /** The child: runs the instances, checks their logs, prints what it saw. */
    public static final class Engine {
        public static void main(String[] args) throws Exception {
            Path data = Path.of(args[0]);
            AtomicLong most = new AtomicLong();
            Thread counter = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    most.accumulateAndGet(descriptors(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            counter.setDaemon(true);
            counter.start();
            int bad = 0;
            try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
                // a first burst, then the others once every instance runs
                Path go = data.resolve("go");
                String script = "seq 1 " + BURST_LINES + "; while [ ! -e " + go + " ]; do sleep 1; done;"
                        + " b=1; while [ $b -lt " + BURSTS + " ]; do seq $((b*" + BURST_LINES + "+1)) $(((b+1)*"
                        + BURST_LINES + ")); b=$((b+1)); sleep 0.3; done; sleep 1";
                spew.appliances().apply("talker.yaml", "name: talker\nruntime: shell\n"
                        + "command: [\"/bin/sh\", \"-c\", \"" + script + "\"]\n");
                List<String> names = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    names.add(spew.instances().run(RunRequest.of("talker")).id().value());
                }
                System.out.println("started " + names.size());
                System.out.println("active " + spew.instances().list().stream()
                        .filter(i -> i.state().isActive()).count());
                Files.createFile(go);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES - 2);
                while (spew.instances().list().stream().anyMatch(i -> i.state().isActive())
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                System.out.println("stopped " + spew.instances().list().stream()
                        .filter(i -> i.state() == InstanceState.STOPPED).count());
                spew.instances().list().stream().filter(i -> i.state() != InstanceState.STOPPED)
                        .map(Instance::toString).limit(5).forEach(System.out::println);
                String expected = lines(1, BURSTS * BURST_LINES);
                for (String name : names) {
                    String kept = all(spew.instances().log(name, LogStream.STDOUT));
                    if (!kept.equals(expected)) {
                        bad++;
                        System.out.println("lines lost or doubled in " + name + ": " + kept.length() + " characters of "
                                + expected.length());
                    }
                }
            }
            counter.interrupt();
            System.out.println("checked " + (INSTANCES - bad));
            System.out.println("most descriptors " + most.get());
            System.exit(0);
        }

        private static long descriptors() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.count();
            } catch (IOException e) {
                return 0;
            }
        }

        private static String lines(int from, int to) {
            StringBuilder out = new StringBuilder();
            for (int i = from; i <= to; i++) {
                out.append(i).append('\n');
            }
            return out.toString();
        }

        private static String all(Path log) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader reader = LogReader.open(log, LogStart.ALL)) {
                reader.copyAvailable(out);
            } catch (IOException e) {
                return "cannot read " + log + ": " + e;
            }
            return out.toString(UTF_8);
        }
    }
}
