package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spew events} and {@code GET /api/v1/events} end to end: the ordered changes of a real
 * instance, the end of the stream when the daemon stops, and clients that read slowly or not at all,
 * which are cut off while the daemon goes on.
 */
class EventsIT extends DaemonProcessTest {
    private static final String HELLO = String.join("\n",
            "name: hello",
            "runtime: shell",
            "command: [\"/bin/sh\", \"-c\", \"exec sleep 1000\"]",
            "stop: { signal: TERM, timeout: 5s }",
            "");
    private static final String SYNC = HELLO.replace("name: hello", "name: sync");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Process> followers = new ArrayList<>();
    private final List<AutoCloseable> streams = new ArrayList<>();

    @AfterEach
    void endFollowers() throws Exception {
        for (Process follower : followers) {
            follower.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable stream : streams) {
            stream.close();
        }
    }

    @Test
    void eventsFollowsEachChangeOfAnInstanceInOrderUntilTheDaemonStops() throws Exception {
        spew.ok("appliance", "apply", write("hello.yaml", HELLO).toString());
        spew.ok("appliance", "apply", write("sync.yaml", SYNC).toString());
        spew.ok("run", "sync", "--name", "sync");
        Follower json = follow("events", "--json");
        Follower human = follow("events");
        List<String> filtered = apiLines("/events?instance=hello-1");
        awaitSubscribed(json, human);

        spew.ok("run", "hello");
        spew.ok("kill", "hello-1", "--signal", "KILL");
        assertThat(eventually(WAIT, () -> spew.instance("hello-1").get("state").asText().equals("crashed")))
                .as("hello-1 crashed").isTrue();
        spew.ok("start", "hello-1");
        spew.ok("stop", "hello-1");
        spew.ok("stop", "sync");
        assertThat(eventually(WAIT, () -> json.lines().stream().anyMatch(line -> line.contains("\"sync\"")
                && line.contains("\"stopped\"")))).as("events --json saw sync stop: %s", json.lines()).isTrue();

        JsonNode instance = spew.instance("hello-1");
        String host = single(spew.json("host", "ls", "--json"));
        List<JsonNode> events = json.lines().stream().map(EventsIT::parse)
                .filter(event -> event.get("name").asText().equals("hello-1")).toList();
        assertThat(events).extracting(event -> event.get("type").asText() + " " + event.get("previous").asText(null)
                + " → " + event.get("state").asText()).containsExactly(
                "state null → created",
                "state created → running",
                "state running → crashed",
                "state crashed → running",
                "state running → stopping",
                "state stopping → stopped");
        assertThat(events.get(2).get("exitStatus").get("signal").asText()).isEqualTo("SIGKILL");
        Instant previous = Instant.EPOCH;
        for (JsonNode event : events) {
            assertThat(event.get("host").asText()).isEqualTo(host.split(" ")[0]);
            assertThat(event.get("instance").asText()).isEqualTo(instance.get("id").asText());
            assertThat(event.get("appliance").asText()).isEqualTo("hello");
            Instant time = Instant.parse(event.get("time").asText());
            assertThat(time).isAfterOrEqualTo(previous);
            previous = time;
        }
        assertThat(filtered).as("?instance=hello-1 keeps its events only").hasSize(6)
                .allSatisfy(line -> assertThat(parse(line).get("name").asText()).isEqualTo("hello-1"));
        List<String> lines = human.lines().stream().filter(line -> line.contains(" hello-1 ")).toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}  "
                + java.util.regex.Pattern.quote(host.split(" ")[1]) + "  hello-1 state created");
        assertThat(lines.get(2)).endsWith("  hello-1 state running → crashed (signal SIGKILL)");
        assertThat(lines.get(5)).endsWith("  hello-1 state stopping → stopped (signal SIGTERM)");

        spew.ok("daemon", "stop");
        for (Follower follower : List.of(json, human)) {
            assertThat(follower.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("events ended").isTrue();
            assertThat(follower.process().exitValue()).as("%s", follower.stderr()).isEqualTo(4);
            assertThat(follower.stderr()).startsWith("spew: the daemon at ").contains("stopped: no more events")
                    .contains("DAEMON_UNAVAILABLE").hasLineCount(1);
        }
    }

    @Test
    void aClientThatDoesNotKeepUpIsCutOffWhileTheDaemonGoesOn() throws Exception {
        spew.ok("appliance", "apply", write("hello.yaml", HELLO).toString());
        int instances = 4;
        for (int i = 0; i < instances; i++) {
            spew.ok("run", "hello");
        }
        List<String> reader = apiLines("/events");
        Socket slow = neverReading("/api/v1/events?buffer=4");
        Socket silent = neverReading("/api/v1/events?buffer=64");

        int restarts = 40;
        AtomicLong slowestMillis = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= instances; i++) {
                String path = "/instances/hello-" + i + "/restart";
                done.add(threads.submit(() -> {
                    for (int n = 0; n < restarts; n++) {
                        long start = System.nanoTime();
                        assertThat(api("POST", path).statusCode()).isEqualTo(200);
                        slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(slowestMillis.get()).as("the slowest restart (ms)").isLessThan(5000);

        List<String> slowLines = body(slow);
        assertThat(slowLines).as("events, then the line saying some were dropped").isNotEmpty();
        JsonNode last = parse(slowLines.get(slowLines.size() - 1));
        assertThat(last.get("dropped").asLong()).as("%s", last).isPositive();
        assertThat(last.get("message").asText()).contains("did not keep up");
        assertThat(slowLines.subList(0, slowLines.size() - 1)).allSatisfy(line ->
                assertThat(parse(line).get("name").asText()).startsWith("hello-"));

        int expected = instances * restarts * 4;
        assertThat(eventually(WAIT, () -> reader.size() >= expected)).as("the reading client got every event: %d of %d",
                reader.size(), expected).isTrue();
        assertThat(reader).noneMatch(line -> line.contains("dropped"));

        // Its queue filled once its socket's buffers had: it is disconnected (EventEndpoint.CUT_OFF_GRACE)
        // when the daemon cannot even write the last line, else it ends after it, like the slow one.
        Thread.sleep(12_000);
        assertThat(body(silent).size()).as("the silent client's stream ended early").isLessThan(expected);
        assertThat(spew.ok("run", "hello").stdout()).isEqualTo("hello-5\n");
        assertThat(api("GET", "/events?buffer=0").statusCode()).isEqualTo(400);
    }

    @Test
    void theEventStreamNeedsTheToken() throws Exception {
        spew.ok("daemon", "start");
        String base = "http://" + Files.readString(spew.addressFile(), UTF_8).trim() + "/api/v1/events";
        String token = Files.readString(spew.tokenFile(), UTF_8).trim();
        HttpResponse<String> none = SpewProcesses.HTTP.send(HttpRequest.newBuilder(URI.create(base))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(parse(none.body()).get("error").asText()).isEqualTo("UNAUTHORIZED");
        HttpResponse<String> wrong = SpewProcesses.HTTP.send(HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Bearer not-" + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(SpewProcesses.HTTP.send(HttpRequest.newBuilder(URI.create(base + "?token=" + token))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("the token in the query").isEqualTo(401);
    }

    /** A {@code spew} command that runs in the background, its output in files. */
    private record Follower(Process process, Path out, Path err) {
        List<String> lines() {
            try {
                return Files.readAllLines(out, UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String stderr() throws IOException {
            return Files.readString(err, UTF_8);
        }
    }

    private Follower follow(String... args) throws IOException {
        int number = followers.size() + 1;
        Path out = temporary.resolve("follower-" + number + ".out");
        Path err = temporary.resolve("follower-" + number + ".err");
        ProcessBuilder builder = new ProcessBuilder(spew.command(args))
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("SPEW_LISTEN", "127.0.0.1:0");
        builder.environment().remove("SPEW_DATA_DIR");
        Process process = builder.start();
        followers.add(process);
        return new Follower(process, out, err);
    }

    /** Restarts instance {@code sync} until each follower has printed a line: then each is subscribed. */
    private void awaitSubscribed(Follower... followers) {
        for (int attempt = 0; attempt < 15; attempt++) {
            spew.ok("restart", "sync");
            if (eventually(Duration.ofSeconds(3), () -> Stream.of(followers).noneMatch(f -> f.lines().isEmpty()))) {
                return;
            }
        }
        throw new AssertionError("the followers printed nothing");
    }

    /** Follows an event stream of the API in the background; its lines arrive in the list returned. */
    private List<String> apiLines(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token()).build();
        HttpResponse<Stream<String>> response = SpewProcesses.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<String> lines = new CopyOnWriteArrayList<>();
        Stream<String> body = response.body();
        streams.add(body);
        Thread thread = new Thread(() -> {
            try {
                body.forEach(lines::add);
            } catch (UncheckedIOException e) {
                // the daemon went away
            }
        }, "events-" + path);
        thread.setDaemon(true);
        thread.start();
        return lines;
    }

    /** Asks for an event stream over HTTP/1.0 (no chunks), with a small receive buffer, and reads nothing. */
    private Socket neverReading(String path) throws IOException {
        String[] address = Files.readString(spew.addressFile(), UTF_8).trim().split(":");
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(address[0], Integer.parseInt(address[1])), 5000);
        streams.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.0\r\nHost: " + address[0] + ":" + address[1] + "\r\nAuthorization: Bearer "
                + token() + "\r\n\r\n").getBytes(UTF_8));
        out.flush();
        return socket;
    }

    /** The lines of the body the socket receives until the daemon closes it. */
    private static List<String> body(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the daemon did not end the stream within " + WAIT, e);
        } catch (SocketException e) {
            // reset by the daemon: what came before is the answer
        }
        String text = received.toString(UTF_8);
        int start = text.indexOf("\r\n\r\n");
        assertThat(start).as("an HTTP answer: %s", text).isPositive();
        assertThat(text).startsWith("HTTP/1.0 200");
        List<String> lines = new ArrayList<>(text.substring(start + 4).lines().toList());
        if (!lines.isEmpty() && !text.endsWith("\n")) {
            lines.remove(lines.size() - 1); // cut in the middle of a line
        }
        return lines;
    }

    private HttpResponse<String> api(String method, String path) {
        try {
            return spew.api(method, path, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String base() throws IOException {
        return "http://" + Files.readString(spew.addressFile(), UTF_8).trim() + "/api/v1";
    }

    private String token() throws IOException {
        return Files.readString(spew.tokenFile(), UTF_8).trim();
    }

    /** The local host as {@code "ID NAME"}. */
    private static String single(JsonNode hosts) {
        assertThat(hosts.size()).as("%s", hosts).isEqualTo(1);
        return hosts.get(0).get("id").asText() + " " + hosts.get(0).get("name").asText();
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(temporary.resolve(name), content, UTF_8);
    }
}
