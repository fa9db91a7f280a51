package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.testing.ListenPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code spew ps --json} shows what the daemon's health checks found, as the checked port opens and closes. */
class HealthCliIT extends DaemonProcessTest {
    @Test
    void psShowsTheHealthOfAnInstanceAsItsPortClosesAndOpens() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            // below the ephemeral range: no outgoing connection takes the port while it is closed
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ListenPorts.free()));
            int port = server.getLocalPort();
            Path file = Files.writeString(temporary.resolve("db.yaml"), """
                    name: db
                    runtime: shell
                    command: "exec sleep 1000"
                    services: [{ name: db, port: "%d", check: { tcp: "127.0.0.1:%d", interval: 200ms, retries: 2 } }]
                    """.formatted(port, port));
            spew.ok("appliance", "apply", file.toString());
            spew.ok("run", "db");
            assertThat(eventually(Duration.ofSeconds(15), () -> health().equals("healthy"))).as("healthy: %s", health()).isTrue();
            server.close();
            assertThat(eventually(Duration.ofSeconds(15), () -> health().equals("unhealthy"))).as("unhealthy: %s", health())
                    .isTrue();
            assertThat(spew.instance("db-1").get("message").asText()).contains("check tcp 127.0.0.1:" + port);
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(eventually(Duration.ofSeconds(15), () -> health().equals("healthy"))).as("healthy again: %s",
                        health()).isTrue();
            }
            spew.ok("stop", "db-1");
            assertThat(health()).isEqualTo("none");
        }
    }

    private String health() {
        return spew.instance("db-1").get("health").asText();
    }
}
