package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service catalog is the cluster's: two daemon processes, each in a network namespace of its own on a LAN
 * the test makes ({@link NamespaceLan}), one cluster. Service {@code echo} runs on the second host only (a shell
 * instance serving HTTP with busybox, checked by tcp); the first host's catalog lists it at the second host's
 * address, renders it into {@code ${service.echo.addresses}} and {@code SPEW_SERVICE_ECHO_ADDRS}, and its
 * follower restarts the instance that uses it when it comes and when its check fails. Shared by the tests in
 * order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterServicesIT {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int PORT = 8087;

    @TempDir
    static Path root;

    private NamespaceLan lan;
    private SpewCluster cluster;
    private Path serverPid;

    @BeforeAll
    void makeTheClusterOnItsLan() throws IOException {
        lan = NamespaceLan.create(2);
        cluster = SpewCluster.formOnLan(root, lan, 2, SETTLE);
        serverPid = root.resolve("httpd.pid");
        Files.createDirectories(root.resolve("www"));
        cluster.host(1).ok("appliance", "apply", write("echo", """
                name: echo
                runtime: shell
                restart: never
                command: ["/bin/sh", "-c", "busybox httpd -f -p %d -h %s & echo $! > %s; exec sleep 1000"]
                stop: { signal: KILL, timeout: 5s }
                services: [{ name: echo, port: "%d", check: { tcp: "127.0.0.1:%d", interval: 200ms, retries: 1 } }]
                """.formatted(PORT, root.resolve("www"), serverPid, PORT, PORT)));
        cluster.host(0).ok("appliance", "apply", write("user", """
                name: user
                runtime: shell
                env: { ECHO: "${service.echo.addresses}" }
                command: ["/bin/sh", "-c", "echo \\"echo at [$ECHO] [$SPEW_SERVICE_ECHO_ADDRS]\\"; exec sleep 1000"]
                stop: { signal: KILL, timeout: 5s }
                """));
    }

    @AfterAll
    void removeTheClusterAndItsLan() {
        if (cluster != null) {
            cluster.close();
        } else if (lan != null) {
            lan.close();
        }
    }

    @Test
    @Order(1)
    void aServiceOfTheOtherHostIsListedAtItsAddressRenderedAndFollowed() {
        SpewProcesses first = cluster.host(0);
        first.ok("run", "user");
        assertThat(settles(() -> log(first, "user-1").contains("echo at [] []"))).as("%s", log(first, "user-1"))
                .isTrue();

        cluster.host(1).ok("run", "echo");

        String address = lan.address(1) + ":" + PORT;
        assertThat(settles(() -> echo(first).toString().contains(address)))
                .as("the first host's catalog: %s\n%s", first.getJson("/services"), first.daemonLogTail()).isTrue();
        JsonNode echo = echo(first);
        assertThat(echo.get("addresses")).hasSize(1);
        assertThat(echo.get("addresses").get(0).asText()).isEqualTo(address);
        assertThat(echo.get("instances").get(0).asText()).isEqualTo("echo-1");
        String rendered = "echo at [" + address + "] [" + address + "]";
        assertThat(settles(() -> log(first, "user-1").contains(rendered)))
                .as("user-1 follows the catalog: %s\n%s", log(first, "user-1"), first.daemonLogTail()).isTrue();

        first.ok("run", "user");
        assertThat(settles(() -> log(first, "user-2").contains(rendered))).as("%s", log(first, "user-2")).isTrue();
    }

    @Test
    @Order(2)
    void anUnhealthyInstanceOfTheOtherHostLeavesTheCatalog() throws IOException {
        SpewProcesses first = cluster.host(0);
        long pid = Long.parseLong(Files.readString(serverPid, UTF_8).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);

        assertThat(settles(() -> echo(first).get("addresses").isEmpty()))
                .as("the first host's catalog: %s", first.getJson("/services")).isTrue();
        assertThat(settles(() -> log(first, "user-1").strip().endsWith("echo at [] []")))
                .as("user-1 follows the catalog: %s\n%s", log(first, "user-1"), first.daemonLogTail()).isTrue();
        assertThat(cluster.host(1).instance("echo-1").get("state").asText()).as("it runs, unhealthy")
                .isEqualTo("running");
    }

    /** Service {@code echo} in host {@code host}'s catalog, empty when it lists no such service. */
    private static JsonNode echo(SpewProcesses host) {
        for (JsonNode service : host.getJson("/services")) {
            if (service.get("name").asText().equals("echo")) {
                return service;
            }
        }
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .set("addresses", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode());
    }

    private static String log(SpewProcesses host, String instance) {
        return host.run("logs", instance).stdout();
    }

    private static String write(String name, String yaml) throws IOException {
        return Files.writeString(root.resolve(name + ".yaml"), yaml, UTF_8).toString();
    }

    private static boolean settles(BooleanSupplier condition) {
        return SpewProcesses.settles(SETTLE, condition);
    }
}
