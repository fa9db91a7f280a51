package io.spew.benchmarks;

import java.io.PrintStream;

/** One benchmark: runs Spew's work beside its baseline in the same run and prints a RATIO line. */
interface Benchmark {
    String name();

    /** What the ratio is measured against. */
    String baseline();

    /** Runs and prints its figures; returns Spew's cost over the baseline's (lower is better). */
    double run(boolean quick, PrintStream out) throws Exception;
}
