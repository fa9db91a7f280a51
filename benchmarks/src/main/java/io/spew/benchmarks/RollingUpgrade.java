package io.spew.benchmarks;

import io.spew.Spew;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code rolling-upgrade}: {@code spew start} rolling an environment change over 20 shell instances
 * with {@code max_parallel: 5}, against stopping and removing all 20 then starting them all anew
 * ({@code spew stop --rm} and {@code spew start}); the two alternate, 10 rounds each (3 with
 * {@code --quick}). Then a rollback of one instance to its previous version.
 */
final class RollingUpgrade implements Benchmark {
    private static final int INSTANCES = 20;

    @Override
    public String name() {
        return "rolling-upgrade";
    }

    private static String environment(int version, int count) {
        return """
                appliances:
                  web:
                    runtime: shell
                    command: ["/bin/sleep", "600"]
                    env: { VERSION: "%d" }
                    update: { max_parallel: 5 }
                instances: { web: %d }
                """.formatted(version, count);
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int rounds = quick ? 3 : 10;
        Path data = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "spew-bench-");
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            Path file = data.resolve("spew.yaml");
            start(spew, file, environment(0, INSTANCES));
            Samples roll = new Samples(rounds);
            Samples stopStart = new Samples(rounds);
            int version = 1;
            for (int round = 0; round < rounds; round++) {
                long begin = System.nanoTime();
                start(spew, file, environment(version++, INSTANCES));
                roll.add(System.nanoTime() - begin);

                String next = environment(version++, INSTANCES);
                begin = System.nanoTime();
                spew.environments().stop(EnvironmentFiles.of(file.toString(), next), null, true);
                start(spew, file, next);
                stopStart.add(System.nanoTime() - begin);
            }
            out.printf("rolling-upgrade: roll of %d instances, max_parallel 5: %s%n", INSTANCES, roll.describe());
            out.printf("rolling-upgrade: stop and start of all %d: %s%n", INSTANCES, stopStart.describe());
            spew.environments().stop(EnvironmentFiles.of(file.toString(), environment(version, 1)), null, true);

            start(spew, file, environment(100, 1));
            Samples rollback = new Samples(rounds);
            for (int round = 0; round < rounds; round++) {
                start(spew, file, environment(101 + round, 1));
                long begin = System.nanoTime();
                spew.environments().rollback("web", null, StartOptions.defaults());
                rollback.add(System.nanoTime() - begin);
            }
            out.printf("rolling-upgrade: rollback of one instance: %s%n", rollback.describe());
            for (Instance instance : spew.instances().list()) {
                if (instance.state().isActive()) {
                    spew.instances().stop(instance.name());
                }
            }
            return List.of(new Ratio(name(), roll.medianMillis() / stopStart.medianMillis(), "stop and start of all"));
        } finally {
            Trees.delete(data);
        }
    }

    private static void start(Spew spew, Path file, String content) throws Exception {
        Files.writeString(file, content);
        spew.environments().start(EnvironmentFiles.of(file.toString(), content), null, StartOptions.defaults());
    }
}
