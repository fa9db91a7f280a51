package io.spew.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CPU time a batch of starts cost, per start: this JVM's (its process CPU time over the starts)
 * and the children's, from each child's {@code /proc/PID/schedstat} (nanoseconds on a CPU, kept
 * across {@code exec}, so it holds every {@code exec} the child made before it settled).
 *
 * @param ownMillis this JVM's CPU per start
 * @param childMillis a child's CPU, on average
 */
record StartCpu(double ownMillis, double childMillis) {
    /** This JVM's CPU time until now. */
    static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU per start since {@code ownBefore} (from {@link #ownNanos}) of the starts of {@code children}. */
    static StartCpu of(long ownBefore, List<Long> children) throws IOException {
        long own = ownNanos() - ownBefore;
        long childNanos = 0;
        for (long pid : children) {
            String schedstat = Files.readString(Path.of("/proc", Long.toString(pid), "schedstat"));
            childNanos += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        }
        return new StartCpu(own / 1e6 / children.size(), childNanos / 1e6 / children.size());
    }

    double perStartMillis() {
        return ownMillis + childMillis;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CPU per start %.2f ms: this JVM %.2f, the child %.2f", perStartMillis(),
                ownMillis, childMillis);
    }
}
