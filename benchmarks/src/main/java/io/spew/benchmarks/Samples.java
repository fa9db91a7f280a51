package io.spew.benchmarks;

import java.util.Arrays;

/** Durations in nanoseconds, and their order statistics. */
final class Samples {
    private final long[] values;
    private int size;

    Samples(int capacity) {
        values = new long[capacity];
    }

    void add(long nanos) {
        values[size++] = nanos;
    }

    double percentileMillis(double percentile) {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.round(percentile / 100.0 * (size - 1)));
        return sorted[index] / 1e6;
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    String describe() {
        return String.format("median %.3f ms, p10 %.3f ms, p90 %.3f ms, n=%d",
                medianMillis(), percentileMillis(10), percentileMillis(90), size);
    }
}
