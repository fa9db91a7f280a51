package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/redis} end to end: a minimal Debian with redis-server made by debootstrap from
 * Debian's packages, signed with {@code spew build create}, imported, run with {@code spew run} under
 * nspawn, and answering {@code redis-cli PING} from the host. Needs root, systemd-nspawn, debootstrap,
 * redis-cli and a Debian mirror: CI has them all ({@code ./test} installs the packages) and fails
 * without them; elsewhere the test is skipped.
 */
class RedisExampleIT {
    private static final Path EXAMPLE = Path.of("../examples/redis");

    @TempDir
    Path temporary;

    private SpewProcesses spew;

    @BeforeEach
    void setUp() throws IOException {
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        boolean tools = Files.isExecutable(Path.of("/usr/sbin/debootstrap")) && Files.isExecutable(Path.of("/usr/bin/redis-cli"));
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(nspawn.passed()).as("nspawn cannot run here: %s", nspawn.reason()).isTrue();
            assumeThat(tools).as("debootstrap and redis-cli are not installed").isTrue();
        }
        spew = new SpewProcesses(Files.createDirectory(temporary.resolve("data")),
                Files.createDirectory(temporary.resolve("scratch")));
    }

    @AfterEach
    void tearDown() {
        if (spew != null) {
            spew.close();
        }
    }

    @Test
    void aDebianBuildOfRedisAnswersPingFromTheHost() throws Exception {
        Path rootfs = temporary.resolve("redis-rootfs");
        run(Duration.ofMinutes(10), EXAMPLE.resolve("make-rootfs.sh").toAbsolutePath().normalize().toString(),
                rootfs.toString());
        spew.ok("build", "create", rootfs.toString(), "--name", "redis", "--version", "7",
                "-o", temporary.resolve("redis-7.tar.zst").toString(), "--import");
        spew.ok("appliance", "apply", EXAMPLE.resolve("redis.yaml").toAbsolutePath().normalize().toString());
        int port = freePort();
        spew.ok("run", "redis", "--name", "redis-1", "--set", "port=" + port);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String answer = "";
            while (!answer.equals("PONG") && System.nanoTime() < deadline) {
                answer = run(Duration.ofSeconds(10), "/usr/bin/redis-cli", "-p", Integer.toString(port), "PING").trim();
                Thread.sleep(100);
            }
            assertThat(answer).as("redis-cli -p %d PING", port).isEqualTo("PONG");
            assertThat(spew.instance("redis-1").get("runtime").asText()).isEqualTo("nspawn");
        } finally {
            spew.ok("stop", "redis-1");
        }
        assertThat(spew.instance("redis-1").get("state").asText()).isEqualTo("stopped");
        spew.ok("rm", "redis-1");
    }

    private static int freePort() {
        return io.spew.testing.ListenPorts.free();
    }

    /** Runs a command; returns its output, or fails with it. */
    private String run(Duration timeout, String... command) throws Exception {
        Path output = Files.createTempFile(temporary, "command", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 && !command[0].endsWith("redis-cli")) {
            throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }
}
