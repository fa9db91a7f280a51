package io.spew.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code daemon-scale}: a real daemon, started as {@code spew daemon start} starts it, runs 1000
 * {@code sleep} instances (200 with {@code --quick}); prints its thread count and resident memory
 * idle and loaded (after a full GC, through {@code jcmd}), and the memory per instance. The ratio is
 * the daemon's thread count loaded over idle: 1.0 means no thread per instance.
 */
final class DaemonScale implements Benchmark {
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "daemon-scale";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int count = quick ? 200 : 1000;
        Path data = Files.createTempDirectory(Path.of("/var/tmp"), "spew-scale-");
        Process launcher = new ProcessBuilder(cli(data, "daemon", "start", "--listen", "127.0.0.1:0")).inheritIO().start();
        if (launcher.waitFor() != 0) {
            throw new IOException("spew daemon start failed");
        }
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(Files.readString(data.resolve("daemon/lock")).trim()))
                .orElseThrow(() -> new IOException("the daemon is gone"));
        try {
            Api api = connect(data);
            api.post("/api/v1/appliances", "{\"source\":\"bench.yaml\",\"content\":\"name: bench\\nruntime: shell\\n"
                    + "command: [/bin/sleep, '3600']\\n\"}");
            settle(daemon.pid());
            long idleThreads = status(daemon.pid(), "Threads:");
            long idleRss = status(daemon.pid(), "VmRSS:");
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                api.post("/api/v1/instances", "{\"appliance\":\"bench\"}");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            settle(daemon.pid());
            long threads = status(daemon.pid(), "Threads:");
            long rss = status(daemon.pid(), "VmRSS:");
            out.printf(Locale.ROOT, "daemon-scale: %d instances started in %.1f s through the API (%.1f ms each)%n",
                    count, seconds, seconds * 1000 / count);
            out.printf(Locale.ROOT, "daemon-scale: daemon threads idle %d, with %d instances %d%n", idleThreads, count, threads);
            out.printf(Locale.ROOT, "daemon-scale: daemon RSS idle %d MiB, with %d instances %d MiB, %.1f KiB per instance%n",
                    idleRss / 1024, count, rss / 1024, (rss - idleRss) / (double) count);
            api.post("/api/v1/daemon/stop", "{\"stopInstances\":true}");
            daemon.onExit().get();
            return List.of(new Ratio(name(), threads / (double) idleThreads, "idle-daemon-threads"));
        } finally {
            if (daemon.isAlive()) {
                daemon.destroyForcibly();
                daemon.onExit().get();
            }
            Trees.delete(data);
        }
    }

    private static List<String> cli(Path data, String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.spew.cli.Main", "--data-dir", data.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Lets the daemon finish its work, then collects its garbage so that RSS shows what it keeps. */
    private static void settle(long pid) throws Exception {
        Thread.sleep(1000);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        Thread.sleep(500);
    }

    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " missing for " + pid);
    }

    private Api connect(Path data) throws Exception {
        Path address = data.resolve("daemon/address");
        return new Api(http, "http://" + Files.readString(address).trim(),
                Files.readString(data.resolve("daemon/token")).trim());
    }

    private record Api(HttpClient http, String base, String token) {
        void post(String path, String json) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
            }
        }
    }
}
