package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code shell-start}: from {@code instances().run()} until the instance's process runs (spawned,
 * watched, state persisted with fsync), against {@code ProcessBuilder.start()} of the same command.
 * The two alternate, one call each per round, so drift of the machine hits both alike; processes
 * are cleaned up every batch, outside the timings, so neither side runs with a growing crowd.
 */
final class ShellStart implements Benchmark {
    private static final List<String> COMMAND = List.of("/bin/sleep", "600");
    private static final int BATCH = 100;

    @Override
    public String name() {
        return "shell-start";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int rounds = quick ? 200 : 1000;
        Path data = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "spew-bench-");
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            spew.appliances().apply(new Appliance("bench", "shell", COMMAND, Map.of(), null,
                    StopPolicy.DEFAULT, Map.of(), Map.of(), null));
            measure(spew, 200, new Samples(200), new Samples(200));
            Samples engine = new Samples(rounds);
            Samples processBuilder = new Samples(rounds);
            measure(spew, rounds, engine, processBuilder);
            out.printf("shell-start: Spew run(): %s%n", engine.describe());
            out.printf("shell-start: ProcessBuilder.start(): %s%n", processBuilder.describe());
            return List.of(new Ratio(name(), engine.medianMillis() / processBuilder.medianMillis(), "ProcessBuilder.start"));
        } finally {
            Trees.delete(data);
        }
    }

    private static void measure(Spew spew, int rounds, Samples engine, Samples processBuilder) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Instance> instances = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            instances.add(spew.instances().run(RunRequest.of("bench")));
            engine.add(System.nanoTime() - start);

            start = System.nanoTime();
            processes.add(new ProcessBuilder(COMMAND).start());
            processBuilder.add(System.nanoTime() - start);

            if (instances.size() == BATCH || round == rounds - 1) {
                cleanUp(spew, instances, processes);
            }
        }
    }

    private static void cleanUp(Spew spew, List<Instance> instances, List<Process> processes) throws Exception {
        for (Instance instance : instances) {
            spew.instances().kill(instance.id().value(), Signal.SIGKILL);
        }
        for (Instance instance : instances) {
            spew.instances().stop(instance.id().value());
            spew.instances().remove(instance.id().value());
        }
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
        instances.clear();
        processes.clear();
    }
}
