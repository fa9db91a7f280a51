package io.spew.impl.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spew.Spew;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import io.spew.service.HealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health checks of shell instances against real servers on loopback, real files and real processes. */
class HealthChecksTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path data;

    @TempDir
    Path files;

    private Spew spew;
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> healthSeen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.instances().onChange(instance -> healthSeen.computeIfAbsent(instance.name(), name -> new CopyOnWriteArrayList<>())
                .add(instance.health()));
    }

    @AfterEach
    void close() throws Exception {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive()).forEach(i -> spew.instances().stop(i.name()));
            spew.close();
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void tcpCheckTurnsUnhealthyWhenThePortClosesAndHealthyWhenItOpensAgain() throws Exception {
        ServerSocket server = listen(0);
        int port = server.getLocalPort();
        apply("db", "{ tcp: \"127.0.0.1:" + port + "\", interval: 100ms, timeout: 500ms, retries: 3 }", false);
        Instance db = spew.instances().run(RunRequest.of("db"));
        assertThat(db.health()).as("no verdict yet at start").isEqualTo(HealthCheck.STARTING);

        await("db-1", i -> i.health().equals(HealthCheck.HEALTHY));
        assertThat(spew.services().list().get(0).instances()).containsExactly("db-1");

        server.close();
        Instance unhealthy = await("db-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
        assertThat(unhealthy.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(unhealthy.restarts()).as("not restarted unless asked").isZero();
        assertThat(unhealthy.message()).contains("check tcp 127.0.0.1:" + port).contains("failed 3 times in a row");
        assertThat(spew.services().list().get(0).instances()).as("an unhealthy instance offers nothing").isEmpty();
        assertThat(healthSeen.get("db-1")).containsSubsequence(HealthCheck.STARTING, HealthCheck.HEALTHY, HealthCheck.UNHEALTHY);

        listen(port);
        Instance healthy = await("db-1", i -> i.health().equals(HealthCheck.HEALTHY));
        assertThat(healthy.pid()).isEqualTo(db.pid());
        assertThat(spew.services().list().get(0).instances()).containsExactly("db-1");

        assertThat(spew.instances().stop("db-1").health()).as("a stopped instance has no health").isEqualTo(HealthCheck.NONE);
    }

    @Test
    void anUnhealthyInstanceIsRestartedWhenItsApplianceAsks() throws Exception {
        ServerSocket server = listen(0);
        int port = server.getLocalPort();
        apply("db", "{ tcp: \"127.0.0.1:" + port + "\", interval: 100ms, timeout: 500ms, retries: 2 }", true);
        Instance first = spew.instances().run(RunRequest.of("db"));
        await("db-1", i -> i.health().equals(HealthCheck.HEALTHY));

        server.close();
        Instance restarted = await("db-1", i -> i.restarts() >= 1 && i.state() == InstanceState.RUNNING);
        assertThat(restarted.pid()).as("a new process").isNotEqualTo(first.pid());
        assertThat(isAlive(first.pid())).as("the old process ended").isFalse();
        listen(port);
        Instance healthy = await("db-1", i -> i.health().equals(HealthCheck.HEALTHY));
        int restarts = healthy.restarts();
        Thread.sleep(500);
        assertThat(spew.instances().get("db-1").restarts()).as("healthy again: no more restarts").isEqualTo(restarts);
        assertThat(spew.instances().get("db-1").pid()).isEqualTo(healthy.pid());
    }

    @Test
    void httpCheckIsHealthyOn200AndUnhealthyOn500() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
        apply("web", "{ http: \"" + url + "\", interval: 100ms, timeout: 1s, retries: 2 }", false);
        spew.instances().run(RunRequest.of("web"));
        await("web-1", i -> i.health().equals(HealthCheck.HEALTHY));

        status.set(500);
        Instance unhealthy = await("web-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
        assertThat(unhealthy.message()).contains("GET " + url + " answered 500");
        status.set(200);
        await("web-1", i -> i.health().equals(HealthCheck.HEALTHY));
    }

    @Test
    void execCheckRunsWithTheInstancesEnvironmentAndTheGraceEndsAtTheFirstPass() throws Exception {
        Path ready = files.resolve("ready");
        spew.appliances().apply("app.yaml", """
                name: app
                runtime: shell
                command: "exec sleep 300"
                env: { READY: "%s" }
                services: [{ name: app, port: "1", check: { exec: 'test -f "$READY"', interval: 100ms, retries: 2,
                    startGrace: 60s } }]
                """.formatted(ready));
        spew.instances().run(RunRequest.of("app"));
        Thread.sleep(600);
        assertThat(spew.instances().get("app-1").health()).as("no file, within the grace: no verdict yet").isEqualTo(HealthCheck.STARTING);
        Files.writeString(ready, "");
        await("app-1", i -> i.health().equals(HealthCheck.HEALTHY));
        Files.delete(ready);
        Instance unhealthy = await("app-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
        assertThat(unhealthy.message()).contains("ended with");
    }

    @Test
    void anExecCheckThatHangsIsKilledAtItsTimeout() throws Exception {
        Path pids = files.resolve("pids");
        spew.appliances().apply("app.yaml", """
                name: app
                runtime: shell
                command: "exec sleep 300"
                services: [{ name: app, port: "1", check: { exec: 'echo $$ >> %s; exec sleep 30', interval: 100ms,
                    timeout: 200ms, retries: 1 } }]
                """.formatted(pids));
        spew.instances().run(RunRequest.of("app"));
        Instance unhealthy = await("app-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
        assertThat(unhealthy.message()).contains("did not end within 200 ms");
        spew.instances().stop("app-1");
        long first = Long.parseLong(Files.readAllLines(pids).get(0).trim());
        long deadline = System.nanoTime() + 5_000_000_000L; // killed, then reaped by the engine's watcher
        while (isAlive(first) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(isAlive(first)).as("the hung check %d was killed (it sleeps 30 s)", first).isFalse();
    }

    @Test
    void failuresWithinTheStartGraceDoNotCount() throws Exception {
        int port = closedPort();
        apply("db", "{ tcp: \"127.0.0.1:" + port + "\", interval: 100ms, timeout: 200ms, retries: 1, start_grace: 1500ms }",
                false);
        Instance db = spew.instances().run(RunRequest.of("db"));
        Thread.sleep(1000);
        assertThat(spew.instances().get("db-1").health()).as("within the grace").isEqualTo(HealthCheck.STARTING);
        await("db-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
        assertThat(Duration.between(db.startedAt(), Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void anInstanceWithoutChecksHasNoHealthAndOffersItsServiceWhileItRuns() {
        spew.appliances().apply("plain.yaml", """
                name: plain
                runtime: shell
                command: "exec sleep 300"
                services: [{ name: plain, port: "7" }]
                """);
        Instance plain = spew.instances().run(RunRequest.of("plain"));
        assertThat(plain.health()).isEqualTo(HealthCheck.NONE);
        assertThat(spew.services().list().get(0).instances()).containsExactly("plain-1");
    }

    @Test
    void anAdoptedInstanceKeepsItsVerdictAndIsCheckedAgain() throws Exception {
        ServerSocket server = listen(0);
        int port = server.getLocalPort();
        apply("db", "{ tcp: \"127.0.0.1:" + port + "\", interval: 100ms, timeout: 500ms, retries: 2 }", false);
        spew.instances().run(RunRequest.of("db"));
        await("db-1", i -> i.health().equals(HealthCheck.HEALTHY));
        spew.close();
        spew = SpewEngine.builder().dataDirectory(data).start();
        assertThat(spew.instances().get("db-1").health()).isEqualTo(HealthCheck.HEALTHY);
        server.close();
        await("db-1", i -> i.health().equals(HealthCheck.UNHEALTHY));
    }

    private void apply(String name, String check, boolean restartOnUnhealthy) {
        spew.appliances().apply(name + ".yaml", """
                name: %s
                runtime: shell
                command: "exec sleep 300"
                stop: { timeout: 2s }
                services: [{ name: %s, port: "1", check: %s }]
                %s""".formatted(name, name, check, restartOnUnhealthy ? "restart: { on_unhealthy: true }\n" : ""));
    }

    private ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        servers.add(server);
        return server;
    }

    private static int closedPort() {
        return io.spew.testing.ListenPorts.free();
    }

    private Instance await(String name, Predicate<Instance> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Instance instance = spew.instances().get(name);
        while (!condition.test(instance)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s in vain: " + instance);
            }
            Thread.sleep(20);
            instance = spew.instances().get(name);
        }
        return instance;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
