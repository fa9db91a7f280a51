package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the real {@code spew} command as separate processes on one data directory, the way a
 * person would, and cleans up after: every daemon it saw is stopped (with its instances), then
 * killed if it is still there, and any process left of an instance of that data directory too.
 */
final class SpewProcesses implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dataDirectory;
    private final Path scratch;
    private final Set<Long> daemons = new LinkedHashSet<>();
    private final Map<String, String> environment = new TreeMap<>();
    private final List<String> wrapper = new ArrayList<>();
    private String networkNamespace;
    private int commands;

    SpewProcesses(Path dataDirectory, Path scratch) {
        this.dataDirectory = dataDirectory;
        this.scratch = scratch;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** Sets an environment variable for the commands run from now on (and the daemons they start). */
    void environment(String name, String value) {
        environment.put(name, value);
    }

    /**
     * Runs the commands from now on (and the daemons they start) under {@code wrapper}, a command that
     * ends by executing its arguments, such as {@code unshare --mount sh -c '...; exec "$@"' sh}.
     */
    void wrapper(List<String> wrapper) {
        this.wrapper.clear();
        this.wrapper.addAll(wrapper);
    }

    /**
     * Runs the commands from now on (and the daemons they start) in the network namespace {@code name} made
     * with {@code ip netns add}, entering only that (not {@code ip netns exec}, which mounts a {@code /sys}
     * without cgroups): the daemon's API listens on that namespace's loopback, out of this test's reach, so
     * {@link #api} refuses and the command line and {@link #getJson} talk to it.
     */
    void networkNamespace(String name) {
        wrapper(List.of("nsenter", "--net=/run/netns/" + name, "--"));
        networkNamespace = name;
    }

    /**
     * Runs the commands from now on (and the daemons they start) in every namespace of process {@code pid}, such
     * as a booted container's PID 1: as in {@link #networkNamespace}, the daemon's API is out of this test's reach.
     */
    void namespacesOf(long pid) {
        wrapper(List.of("nsenter", "-t", Long.toString(pid), "-a", "--"));
        networkNamespace = "of process " + pid;
    }

    /** Runs the commands from now on here again, as before {@link #namespacesOf} or {@link #networkNamespace}. */
    void leaveNamespaces() {
        wrapper(List.of());
        networkNamespace = null;
    }

    /** What a command did. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** A command left running, such as {@code spew logs -f}: its output goes to files. */
    record Background(Process process, Path out, Path err) {
        String stdout() {
            try {
                return Files.readString(out, UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Starts {@code spew --data-dir DIR ARGS...} and returns at once; the caller ends it. */
    Background start(String... args) {
        int number = ++commands;
        Path out = scratch.resolve("command-" + number + ".out");
        Path err = scratch.resolve("command-" + number + ".err");
        try {
            return new Background(builder(out, err, args).start(), out, err);
        } catch (IOException e) {
            throw new AssertionError("cannot run spew " + String.join(" ", args), e);
        }
    }

    /** The command line of {@code spew --data-dir DIR ARGS...}. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classPath(), "io.spew.cli.Main", "--data-dir", dataDirectory.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private ProcessBuilder builder(Path out, Path err, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(args))
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("SPEW_LISTEN", "127.0.0.1:0");
        builder.environment().remove("SPEW_DATA_DIR");
        builder.environment().putAll(environment);
        return builder;
    }

    /** Runs {@code spew --data-dir DIR ARGS...} and waits (bounded) for it to end. */
    Result run(String... args) {
        int number = ++commands;
        Path out = scratch.resolve("command-" + number + ".out");
        Path err = scratch.resolve("command-" + number + ".err");
        ProcessBuilder builder = builder(out, err, args);
        try {
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("spew " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT);
            }
            Result result = new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
            rememberDaemon();
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run spew " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs a command that must succeed. */
    Result ok(String... args) {
        Result result = run(args);
        assertThat(result.exitCode()).as("spew %s\n%s", String.join(" ", args), result).isZero();
        return result;
    }

    /**
     * Makes a build {@code NAME@VERSION} of a root directory with {@code spew build create} (signed with the
     * host's key) into {@code archive}, and imports it with {@code spew build import}; both must succeed.
     */
    void buildAndImport(Path rootDirectory, String name, String version, Path archive) {
        ok("build", "create", rootDirectory.toString(), "--name", name, "--version", version, "-o", archive.toString());
        ok("build", "import", archive.toString());
    }

    /** Runs a command that must succeed and prints JSON. */
    JsonNode json(String... args) {
        try {
            return Json.mapper().readTree(ok(args).stdout());
        } catch (IOException e) {
            throw new AssertionError("spew " + String.join(" ", args) + " did not print JSON", e);
        }
    }

    /** The last 80 lines of the daemon's log, to tell why it did not do what a test waited for. */
    String daemonLogTail() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("daemon/daemon.log"), UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "no daemon log: " + e;
        }
    }

    /** The pid of the daemon serving the data directory, as its address file and API say. */
    long daemonPid() {
        return json("daemon", "status", "--json").get("pid").asLong();
    }

    /** The instance named {@code name} in {@code ps --all --json}. */
    JsonNode instance(String name) {
        for (JsonNode instance : json("ps", "--all", "--json")) {
            if (instance.get("name").asText().equals(name)) {
                return instance;
            }
        }
        throw new AssertionError("no instance " + name + " in spew ps --all");
    }

    Path addressFile() {
        return dataDirectory.resolve("daemon/address");
    }

    Path tokenFile() {
        return dataDirectory.resolve("daemon/token");
    }

    /** Remembers the pid of the daemon running now, if any, so that {@link #close} stops it. */
    void rememberDaemon() {
        if (networkNamespace != null) {
            return; // its API is out of reach: whoever made the namespace ends what runs in it
        }
        try {
            JsonNode info = Json.mapper().readTree(api("GET", "/daemon", null).body());
            daemons.add(info.get("pid").asLong());
        } catch (IOException | RuntimeException e) {
            // no daemon answers
        }
    }

    /** Calls the API of the running daemon with its token. */
    HttpResponse<String> api(String method, String path, String json) throws IOException {
        if (networkNamespace != null) {
            throw new IllegalStateException("the daemon listens in network namespace " + networkNamespace
                    + ", out of reach: use the command line");
        }
        String address = Files.readString(addressFile(), UTF_8).trim();
        String token = Files.readString(tokenFile(), UTF_8).trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + "/api/v1" + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * {@code GET /api/v1/PATH} of the running daemon as JSON; in a network namespace through {@code curl} run
     * there. Fast enough to poll.
     */
    JsonNode getJson(String path) {
        try {
            if (networkNamespace == null) {
                return Json.mapper().readTree(api("GET", path, null).body());
            }
            String address = Files.readString(addressFile(), UTF_8).trim();
            String token = Files.readString(tokenFile(), UTF_8).trim();
            List<String> command = new ArrayList<>(wrapper); // enters the namespace
            command.addAll(List.of("curl", "-sS", "--fail", "-m", "30", "-H", "Authorization: Bearer " + token,
                    "http://" + address + "/api/v1" + path));
            Process curl = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                    .redirectErrorStream(false).start();
            byte[] body = curl.getInputStream().readAllBytes();
            String errors = new String(curl.getErrorStream().readAllBytes(), UTF_8).strip();
            if (!curl.waitFor(40, TimeUnit.SECONDS) || curl.exitValue() != 0) {
                curl.destroyForcibly();
                throw new AssertionError("GET " + path + " of " + address + " in " + networkNamespace + ": " + errors);
            }
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        rememberDaemon();
        Result stop;
        try {
            stop = run("daemon", "stop", "--stop-instances");
        } finally {
            for (long pid : daemons) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            ProcessTable.killInstancesOf(dataDirectory);
        }
        assertThat(stop.exitCode()).as("spew daemon stop --stop-instances\n%s", stop).isZero();
    }

    /**
     * Waits up to {@code timeout} for {@code condition}, which may fail an assertion meanwhile (a daemon that
     * does not answer yet, for one): that counts as not yet.
     */
    static boolean settles(Duration timeout, BooleanSupplier condition) {
        return eventually(timeout, () -> {
            try {
                return condition.getAsBoolean();
            } catch (AssertionError e) {
                return false;
            }
        });
    }

    /** Waits up to {@code timeout} for {@code condition}. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String classPath() {
        String lib = System.getProperty("spew.lib");
        String jar = System.getProperty("spew.jar");
        assertThat(lib).as("system property spew.lib (set by the pom)").isNotNull();
        assertThat(jar).as("system property spew.jar (set by the pom)").isNotNull();
        assertThat(Paths.get(jar)).as("the spew-daemon jar: run mvn verify, not the test alone").exists();
        return jar + ":" + lib + "/*";
    }
}
