package io.spew.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code daemon-scale}: a real daemon, started as {@code spew daemon start} starts it, runs 1000
 * {@code sleep} instances (200 with {@code --quick}); prints its thread count and resident memory
 * idle and loaded (after a full GC, through {@code jcmd}), and the memory per instance. The ratio is
 * the daemon's thread count loaded over idle: 1.0 means no thread per instance.
 */
final class DaemonScale implements Benchmark {
    @Override
    public String name() {
        return "daemon-scale";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int count = quick ? 200 : 1000;
        try (BenchDaemon daemon = BenchDaemon.start("spew-scale-")) {
            daemon.post("/api/v1/appliances", "{\"source\":\"bench.yaml\",\"content\":\"name: bench\\nruntime: shell\\n"
                    + "command: [/bin/sleep, '3600']\\n\"}");
            daemon.settle();
            long idleThreads = daemon.status("Threads:");
            long idleRss = daemon.status("VmRSS:");
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                daemon.post("/api/v1/instances", "{\"appliance\":\"bench\"}");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            daemon.settle();
            long threads = daemon.status("Threads:");
            long rss = daemon.status("VmRSS:");
            out.printf(Locale.ROOT, "daemon-scale: %d instances started in %.1f s through the API (%.1f ms each)%n",
                    count, seconds, seconds * 1000 / count);
            out.printf(Locale.ROOT, "daemon-scale: daemon threads idle %d, with %d instances %d%n", idleThreads, count, threads);
            out.printf(Locale.ROOT, "daemon-scale: daemon RSS idle %d MiB, with %d instances %d MiB, %.1f KiB per instance%n",
                    idleRss / 1024, count, rss / 1024, (rss - idleRss) / (double) count);
            return List.of(new Ratio(name(), threads / (double) idleThreads, "idle-daemon-threads"));
        }
    }
}
