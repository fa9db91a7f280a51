package io.spew.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code benchmarks/run [NAME...] [--quick]}: runs the named benchmarks (all without names) and
 * prints, for each, its figures and one line {@code RATIO <name> <value> vs <baseline>}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // The engine's progress notes would be mixed into the figures.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Map<String, Benchmark> known = new LinkedHashMap<>();
        for (Benchmark benchmark : List.of(new ShellStart(), new DaemonScale(), new ImportBenchmark(), new NspawnStart(),
                new Scale(), new ApiBenchmark(), new RollingUpgrade(), new ClusterBenchmark(),
                new NetworkBenchmark())) {
            known.put(benchmark.name(), benchmark);
        }
        boolean quick = false;
        List<Benchmark> chosen = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (known.containsKey(arg)) {
                chosen.add(known.get(arg));
            } else {
                System.err.println("benchmarks: unknown benchmark '" + arg + "' (known: "
                        + String.join(", ", known.keySet()) + ")");
                System.exit(1);
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(known.values());
        }
        for (Benchmark benchmark : chosen) {
            for (Benchmark.Ratio ratio : benchmark.run(quick, System.out)) {
                System.out.printf(Locale.ROOT, "RATIO %s %.2f vs %s%n", ratio.name(), ratio.value(), ratio.baseline());
            }
        }
    }
}
