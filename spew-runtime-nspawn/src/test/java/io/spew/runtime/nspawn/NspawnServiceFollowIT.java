package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.service.HealthCheck;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container follows the service it uses: its build's {@code /etc/db.conf.spewtmpl} is rendered again
 * through the running container's root when an instance of {@code db} (a container on the host's
 * network, checked on a port this test opens and closes on loopback) stops being healthy, and its
 * command gets {@code SIGHUP}.
 */
class NspawnServiceFollowIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOX = "trap 'echo reloaded $(cat /etc/db.conf)' HUP; echo started $(cat /etc/db.conf);"
            + " while true; do sleep 0.05; done";

    @TempDir
    Path directory;

    private final Map<String, ServerSocket> ports = new HashMap<>();
    private Spew spew;

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    @AfterEach
    void close() throws Exception {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive()).forEach(i -> spew.instances().stop(i.name()));
            spew.close();
        }
        for (ServerSocket socket : ports.values()) {
            socket.close();
        }
    }

    @Test
    void aContainersTemplateIsRenderedAgainInItsRootAndItIsSignalled() throws Exception {
        Path rootfs = BusyboxRoot.make(directory.resolve("rootfs"), "exec sleep 1000");
        Files.writeString(rootfs.resolve("etc/db.conf.spewtmpl"), "db=${service.db.addresses}\n");
        spew = SpewEngine.builder().dataDirectory(directory.resolve("data")).networkSetting("dns-listen", "none")
                .networkSetting("service-change-wait", "200ms").start();
        CreatedBuild created = spew.builds().create(new BuildCreate(rootfs, "busybox", "1",
                directory.resolve("busybox-1.tar.zst"), null, false));
        spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null, null),
                ImportProgress.NONE);
        spew.appliances().apply("db.yaml", """
                name: db
                runtime: nspawn
                build: busybox@1
                options: { port: "0" }
                stop: { signal: KILL, timeout: 5s }
                command: "exec sleep 300"
                services: [{ name: db, port: "${port}", check: { tcp: "127.0.0.1:${port}", interval: 100ms, retries: 1 } }]
                """);
        for (String name : List.of("db-a", "db-b")) {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            ports.put(name, socket);
            spew.instances().run(RunRequest.of("db").withName(name).withSetting("port", Integer.toString(socket.getLocalPort())));
            await(name, HealthCheck.HEALTHY);
        }
        spew.appliances().apply("box.yaml", """
                name: box
                runtime: nspawn
                build: busybox@1
                on_change: { signal: HUP }
                stop: { signal: KILL, timeout: 5s }
                command: ["/bin/sh", "-c", "%s"]
                """.formatted(BOX.replace("\"", "\\\"")));
        Instance box = spew.instances().run(RunRequest.of("box"));
        String host = spew.hosts().list().get(0).address();
        String both = host + ":" + ports.get("db-a").getLocalPort() + "," + host + ":" + ports.get("db-b").getLocalPort();
        if (ports.get("db-a").getLocalPort() > ports.get("db-b").getLocalPort()) {
            both = host + ":" + ports.get("db-b").getLocalPort() + "," + host + ":" + ports.get("db-a").getLocalPort();
        }
        awaitLog("started db=" + both);

        ports.get("db-b").close();
        String one = host + ":" + ports.get("db-a").getLocalPort();
        awaitLog("reloaded db=" + one);
        Instance after = spew.instances().get("box-1");
        assertThat(after.pid()).as("signalled, not restarted").isEqualTo(box.pid());
        Path upper = directory.resolve("data/instances").resolve(box.id().value()).resolve("upper");
        assertThat(Files.readString(upper.resolve("etc/db.conf"))).as("in its writable layer").isEqualTo("db=" + one + "\n");
    }

    private void await(String name, String health) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!spew.instances().get(name).health().equals(health)) {
            assertThat(System.nanoTime()).as(name + " " + health).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitLog(String line) throws Exception {
        Path log = spew.instances().log("box-1", LogStream.STDOUT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!lines(log).contains(line)) {
            assertThat(System.nanoTime()).as("waiting for '" + line + "' in " + lines(log)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The lines of a log file; none before the instance's first output makes it. */
    private static java.util.List<String> lines(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readAllLines(log) : java.util.List.of();
    }
}
