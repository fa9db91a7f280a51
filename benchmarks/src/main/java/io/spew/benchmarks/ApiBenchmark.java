package io.spew.benchmarks;

import io.spew.daemon.client.DaemonJvm;
import io.undertow.Undertow;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * {@code api}: a real daemon with 1000 instances (200 with {@code --quick}) answers
 * {@code GET /api/v1/instances} to 8 concurrent clients that send {@code Accept-Encoding: gzip} and
 * read every byte of the answer, as wrk does (decoding it is the client's work, not the server's: its
 * cost is measured apart and printed); beside it, in the same run, an Undertow
 * hello-world handler with the daemon's thread pools, in a JVM of its own started with the daemon's options
 * (a request to it crosses processes as one to the daemon does), answers the same clients. The ratio is the
 * time per request of the API over the hello-world's; a second ratio compares it with Undertow
 * answering the same (compressed) bytes from memory, which leaves the cost of moving them out; a third, the
 * hello-world in the clients' own JVM, shows what crossing processes costs on the machine. Each
 * server gets the same warm-up (twice the requests measured, so that both JITs reach steady state)
 * before the same number of measured requests. Also
 * prints the time of a revalidation ({@code If-None-Match}, 304) and the dashboard's render time
 * ({@code GET /panel/} with a session) with those instances.
 */
final class ApiBenchmark implements Benchmark {
    private static final int CLIENTS = 8;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String name() {
        return "api";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int count = quick ? 200 : 1000;
        int requests = quick ? 200 : 1000;
        try (BenchDaemon daemon = BenchDaemon.start("spew-api-")) {
            daemon.post("/api/v1/appliances", "{\"source\":\"bench.yaml\",\"content\":\"name: bench\\nruntime: shell\\n"
                    + "command: [/bin/sleep, '3600']\\n\"}");
            for (int i = 0; i < count; i++) {
                daemon.post("/api/v1/instances", "{\"appliance\":\"bench\"}");
            }
            HttpRequest api = gzip(daemon.request("/api/v1/instances"));
            HttpResponse<byte[]> first = HTTP.send(api, HttpResponse.BodyHandlers.ofByteArray());
            byte[] sent = first.body();
            byte[] list = decoded(first);
            int warmUp = requests * 2;
            int measured = requests * 2;
            double apiMillis = perRequestMillis(api, warmUp, measured);
            byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
            double helloHereMillis = staticMillis(hello, false, warmUp, measured);
            double helloMillis = ownProcessMillis(hello, false, warmUp, measured);
            double sameBytesMillis = ownProcessMillis(sent, sent.length != list.length, warmUp, measured);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpRequest revalidate = HttpRequest.newBuilder(api, (name, value) -> true)
                    .header("If-None-Match", etag).build();
            double notModifiedMillis = perRequestMillis(revalidate, warmUp, measured);

            long decodeStart = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                decoded(first);
            }
            double decodeMillis = (System.nanoTime() - decodeStart) / 1e6 / 100;

            String cookie = login(daemon);
            HttpRequest dashboard = HttpRequest.newBuilder(URI.create(daemon.base() + "/panel/"))
                    .header("Cookie", cookie).build();
            Samples renders = new Samples(20);
            for (int i = 0; i < 25; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> page = HTTP.send(dashboard, HttpResponse.BodyHandlers.ofByteArray());
                if (page.statusCode() != 200) {
                    throw new IllegalStateException("the dashboard answered " + page.statusCode());
                }
                if (i >= 5) {
                    renders.add(System.nanoTime() - start);
                }
            }
            out.printf(Locale.ROOT, "api: GET /api/v1/instances with %d instances (%d KiB of JSON, %d KiB sent"
                    + " gzipped), %d clients: %.3f ms per request%n", count, list.length / 1024, sent.length / 1024,
                    CLIENTS, apiMillis);
            out.printf(Locale.ROOT, "api: Undertow hello-world in a JVM of its own with the daemon's options, same"
                    + " clients: %.3f ms per request%n", helloMillis);
            out.printf(Locale.ROOT, "api: the same hello-world in the clients' JVM (no process switch): %.3f ms per"
                    + " request%n", helloHereMillis);
            out.printf(Locale.ROOT, "api: Undertow answering the same %d KiB from memory in a JVM of its own, same"
                    + " clients: %.3f ms per request (the transport's share)%n", sent.length / 1024, sameBytesMillis);
            out.printf(Locale.ROOT, "api: the same GET with If-None-Match (304), same clients: %.3f ms per request%n",
                    notModifiedMillis);
            out.printf(Locale.ROOT, "api: a client's gunzip of the answer (not in the times above): %.3f ms%n",
                    decodeMillis);
            out.printf(Locale.ROOT, "api: dashboard GET /panel/ with %d instances: %s%n", count, renders.describe());
            return List.of(new Ratio(name(), apiMillis / helloMillis, "undertow-hello-world"),
                    new Ratio(name() + "-same-bytes", apiMillis / sameBytesMillis, "undertow-same-bytes"),
                    new Ratio(name() + "-in-process-hello", apiMillis / helloHereMillis, "undertow-hello-world-here"));
        }
    }

    /**
     * Time per request of an Undertow handler with the daemon's thread pools that answers
     * {@code body} ({@code Content-Encoding: gzip} when {@code gzipped}).
     */
    private static double staticMillis(byte[] body, boolean gzipped, int warmUp, int total) throws Exception {
        Undertow server = HelloServer.start(body, gzipped);
        try {
            return perRequestMillis(gzip(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HelloServer.port(server)
                    + "/")).build()), warmUp, total);
        } finally {
            server.stop();
        }
    }

    /**
     * As {@link #staticMillis}, with the server in a JVM of its own started with the daemon's options
     * ({@link DaemonJvm#OPTIONS}): a request crosses processes, as one to the daemon does.
     */
    private static double ownProcessMillis(byte[] body, boolean gzipped, int warmUp, int total) throws Exception {
        Path file = Files.createTempFile("spew-api-body-", ".bin");
        List<String> command = OwnJvm.command(DaemonJvm.OPTIONS, HelloServer.class.getName(), file.toString(),
                gzipped ? "gzip" : "plain");
        Process server = null;
        try {
            Files.write(file, body);
            server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (port == null) {
                throw new IOException("the hello-world server did not start: " + command);
            }
            return perRequestMillis(gzip(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.strip() + "/"))
                    .build()), warmUp, total);
        } finally {
            if (server != null) {
                server.getOutputStream().close();
                if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            Files.deleteIfExists(file);
        }
    }

    /** Wall time over requests answered by {@link #CLIENTS} clients, after a warm-up. */
    private static double perRequestMillis(HttpRequest request, int warmUp, int total) throws Exception {
        load(request, warmUp);
        long start = System.nanoTime();
        load(request, total);
        return (System.nanoTime() - start) / 1e6 / total;
    }

    private static void load(HttpRequest request, int total) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                done.add(clients.submit(() -> {
                    for (int i = 0; i < total / CLIENTS; i++) {
                        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200 && response.statusCode() != 304) {
                            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    /** The request as a real client sends it: it takes a compressed answer. */
    private static HttpRequest gzip(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Accept-Encoding", "gzip").build();
    }

    /** The body of an answer, gunzipped when it came compressed: a client pays to read it. */
    private static byte[] decoded(HttpResponse<byte[]> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent();
        if (!gzip) {
            return response.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return in.readAllBytes();
        }
    }

    private static String login(BenchDaemon daemon) throws Exception {
        String body = daemon.post("/api/v1/panel/logins", "{}");
        String url = body.replaceAll(".*\"url\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }
}
