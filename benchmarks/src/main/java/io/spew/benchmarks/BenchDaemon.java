package io.spew.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real daemon for a benchmark, started as {@code spew daemon start} starts it, in a data directory
 * of its own, and the figures read off its process.
 */
final class BenchDaemon implements AutoCloseable {
    private final Path data;
    private final ProcessHandle process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    private BenchDaemon(Path data, ProcessHandle process) throws IOException {
        this.data = data;
        this.process = process;
        this.base = "http://" + Files.readString(data.resolve("daemon/address")).trim();
        this.token = Files.readString(data.resolve("daemon/token")).trim();
    }

    static BenchDaemon start(String prefix, String... options) throws Exception {
        Path data = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
        List<String> arguments = new ArrayList<>(List.of("daemon", "start", "--listen", "127.0.0.1:0"));
        arguments.addAll(List.of(options));
        Process launcher = new ProcessBuilder(cli(data, arguments.toArray(String[]::new))).inheritIO().start();
        if (launcher.waitFor() != 0) {
            throw new IOException("spew daemon start failed");
        }
        return attach(data);
    }

    /** The daemon another command started for {@code data} (such as {@code spew cluster join}). */
    static BenchDaemon attach(Path data) throws Exception {
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(Files.readString(data.resolve("daemon/lock")).trim()))
                .orElseThrow(() -> new IOException("the daemon is gone"));
        return new BenchDaemon(data, daemon);
    }

    long pid() {
        return process.pid();
    }

    static List<String> cli(Path data, String... arguments) {
        List<String> command = new ArrayList<>(List.of("--data-dir", data.toString()));
        command.addAll(List.of(arguments));
        return OwnJvm.command(List.of(), "io.spew.cli.Main", command.toArray(String[]::new));
    }

    /** Lets the daemon finish its work, then collects its garbage so that RSS shows what it keeps. */
    void settle() throws Exception {
        Thread.sleep(1000);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid()), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        Thread.sleep(500);
    }

    /** A number field of {@code /proc/PID/status}, such as {@code Threads:} or {@code VmRSS:} (KiB). */
    long status(String field) throws IOException {
        return status(pid(), field);
    }

    static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " missing for " + pid);
    }

    String post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), path);
    }

    String delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), path);
    }

    String base() {
        return base;
    }

    /** A GET of {@code path} with the token, to send many times. */
    HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1)).GET().build();
    }

    /** Follows {@code GET /api/v1/events}, handing each line to {@code lines} on a thread of its own. */
    java.util.concurrent.CompletableFuture<?> events(java.util.function.Consumer<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + token).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(response -> response.body().forEach(lines));
    }

    String get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
    }

    private String send(HttpRequest.Builder request, String path) throws Exception {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    Path data() {
        return data;
    }

    /**
     * The loss of a host: SIGKILL of the daemon, then of every process of its instances (their environment
     * names them, {@code SPEW_INSTANCE_ID}).
     */
    void kill() throws Exception {
        process.destroyForcibly();
        process.onExit().get();
        List<String> ids;
        try (var listed = Files.list(data.resolve("instances"))) {
            ids = listed.map(path -> "SPEW_INSTANCE_ID=" + path.getFileName() + "\0").toList();
        }
        try (var pids = Files.list(Path.of("/proc"))) {
            for (Path proc : pids.filter(path -> path.getFileName().toString().matches("\\d+")).toList()) {
                String environment;
                try {
                    environment = new String(Files.readAllBytes(proc.resolve("environ")), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue;
                }
                if (ids.stream().anyMatch(environment::contains)) {
                    ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** Stops the daemon and every instance, then removes its data directory. */
    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                post("/api/v1/daemon/stop", "{\"stopInstances\":true}");
                process.onExit().get(10, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.onExit().get();
            }
            Trees.delete(data);
        }
    }
}
