package io.spew.benchmarks;

import java.io.PrintStream;
import java.util.List;

/** One benchmark: runs Spew's work beside its baseline in the same run and prints its figures. */
interface Benchmark {
    String name();

    /** Runs, prints its figures, and returns its ratios: Spew's cost over the baseline's (lower is better). */
    List<Ratio> run(boolean quick, PrintStream out) throws Exception;

    /** One {@code RATIO <name> <value> vs <baseline>} line. */
    record Ratio(String name, double value, String baseline) {}
}
