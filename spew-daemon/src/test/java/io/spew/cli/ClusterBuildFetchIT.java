package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes on loopback made one cluster: a build signed with GnuPG and imported on the first host
 * only is placed on both; the second fetches it from the first by sha256 over the cluster and verifies it again
 * against its own trusted keys: refused and not kept while it does not trust the signer, then, once it does,
 * run (a template of the build is rendered); it tells of each step as {@code build} events.
 */
class ClusterBuildFetchIT {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String ENVIRONMENT = """
            appliances:
              web:
                build: hello@1.0
                runtime: shell
                command: ["/bin/sh", "-c", "cat \\"$SPEW_FILES/greeting\\"; exec sleep 300"]
                stop: { timeout: 5s }
            instances: { web: 2 }
            """;

    @TempDir
    Path root;

    private SpewCluster cluster;
    private SpewProcesses.Background events;

    @AfterEach
    void stop() {
        if (events != null) {
            events.process().destroy();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBuildImportedOnOneHostIsFetchedVerifiedAndRunByAnother() throws Exception {
        List<String> ids = twoHosts();
        SpewProcesses first = cluster.host(0);
        SpewProcesses second = cluster.host(1);
        Path gnupg = Files.createDirectories(root.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
        gpg(gnupg, "--quick-gen-key", "Builder <builder@example.org>", "ed25519", "sign", "never");
        Path key = root.resolve("builder.asc");
        Files.write(key, gpg(gnupg, "--armor", "--export", "builder@example.org"));
        String fingerprint = first.ok("trust", "add", key.toString()).stdout().split(" ")[1];

        Path archive = packed(first);
        Path signature = root.resolve("hello.tar.gz.gpg.asc");
        gpg(gnupg, "--armor", "--detach-sign", "--output", signature.toString(), archive.toString());
        String id = first.ok("build", "import", archive.toString(), "--signature", signature.toString()).stdout().strip();
        assertThat(second.json("build", "ls", "--json")).as("the second host lacks it").isEmpty();
        events = second.start("events", "--json");
        assertThat(SpewProcesses.eventually(SETTLE, () -> Files.exists(events.out()))).isTrue();

        Path file = Files.writeString(root.resolve("spew.yaml"), ENVIRONMENT);
        SpewProcesses.Result untrusted = first.run("start", file.toString(), "--timeout", "15s");
        assertThat(untrusted.exitCode()).as("%s", untrusted).isEqualTo(2);
        assertThat(untrusted.stderr()).contains("placed on host " + ids.get(1));
        assertThat(SpewProcesses.eventually(SETTLE, () -> events.stdout().contains("\"phase\":\"failed\"")))
                .as("%s", events.stdout()).isTrue();
        JsonNode failed = buildEvents().stream().filter(event -> event.get("phase").asText().equals("failed"))
                .findFirst().orElseThrow();
        assertThat(failed.get("host").asText()).isEqualTo(ids.get(0));
        assertThat(failed.get("detail").asText()).as("the second host trusts no key yet")
                .contains("which is not trusted").doesNotContain("\n");
        assertThat(second.json("build", "ls", "--json")).as("nothing kept").isEmpty();
        try (var entries = Files.list(second.dataDirectory().resolve("builds"))) {
            assertThat(entries.toList()).as("no staging or scratch left").isEmpty();
        }

        second.ok("trust", "add", key.toString());
        first.ok("start", file.toString());

        JsonNode builds = second.json("build", "ls", "--json");
        assertThat(builds).hasSize(1);
        assertThat(builds.get(0).get("id").asText()).isEqualTo(id);
        assertThat(builds.get(0).get("signer").get("fingerprint").asText()).isEqualTo(fingerprint);
        String sha256 = id.substring("sha256:".length());
        assertThat(second.dataDirectory().resolve("builds/" + sha256 + "/archive")).hasSameBinaryContentAs(archive);

        JsonNode onSecond = runningOn(second.json("ps", "--json"), ids.get(1));
        assertThat(onSecond).as("one instance placed on the second host").isNotNull();
        String name = onSecond.get("name").asText();
        assertThat(onSecond.get("build").asText()).isEqualTo(id);
        assertThat(SpewProcesses.eventually(SETTLE, () -> second.run("logs", name).stdout().equals("hello from "
                + name + "\n"))).as("the build's template rendered: %s", second.run("logs", name)).isTrue();

        assertThat(SpewProcesses.eventually(SETTLE, () -> events.stdout().contains("\"phase\":\"fetched\"")))
                .as("%s", events.stdout()).isTrue();
        List<JsonNode> fetches = buildEvents();
        List<String> phases = fetches.stream().map(event -> event.get("phase").asText()).toList();
        assertThat(phases.subList(phases.size() - 2, phases.size())).containsExactly("fetching", "fetched");
        assertThat(phases.subList(0, phases.size() - 2)).as("tries while untrusted").containsOnly("fetching", "failed");
        assertThat(fetches).allSatisfy(event -> {
            assertThat(event.get("build").asText()).isEqualTo(id);
            assertThat(event.get("host").asText()).isEqualTo(ids.get(0));
        });
        assertThat(fetches.get(0).get("detail").asText()).isEqualTo("hello@1.0");
        assertThat(fetches.get(0).get("total").asLong()).isEqualTo(Files.size(archive));

        cluster.host(1).ok("stop", file.toString());
    }

    /** The {@code build} events the second host streamed so far. */
    private List<JsonNode> buildEvents() {
        List<JsonNode> fetches = new ArrayList<>();
        for (String line : events.stdout().lines().toList()) {
            try {
                JsonNode event = Json.mapper().readTree(line);
                if (event.path("type").asText().equals("build")) {
                    fetches.add(event);
                }
            } catch (IOException e) {
                throw new AssertionError("not an event: " + line, e);
            }
        }
        return fetches;
    }

    /** Two hosts, the first made the cluster and the second joined; returns their ids. */
    private List<String> twoHosts() throws IOException {
        cluster = new SpewCluster(root.resolve("hosts"));
        cluster.add();
        cluster.add();
        cluster.host(0).ok("daemon", "start", "--cluster-listen", cluster.clusterListen(0));
        List<String> lines = cluster.host(0).ok("cluster", "init").stdout().lines().toList();
        cluster.host(1).ok("cluster", "join", "--cluster-listen", cluster.clusterListen(1), lines.get(lines.size() - 1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(Files.readString(cluster.host(i).dataDirectory().resolve("cluster/host-id"), UTF_8).strip());
            SpewProcesses host = cluster.host(i);
            assertThat(SpewProcesses.eventually(SETTLE, () -> bothUp(host.json("host", "ls", "--json"))))
                    .as("host %d", i).isTrue();
        }
        return ids;
    }

    private static boolean bothUp(JsonNode hosts) {
        if (hosts.size() != 2) {
            return false;
        }
        for (JsonNode host : hosts) {
            if (!host.get("state").asText().equals("up") || host.get("runtimes").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A build {@code hello@1.0} with a template that greets its instance, packed (and signed with the host's key). */
    private Path packed(SpewProcesses host) throws IOException {
        Path directory = Files.createDirectories(root.resolve("hello"));
        Files.writeString(directory.resolve("greeting.spewtmpl"), "hello from ${instance.name}\n");
        Path archive = root.resolve("hello.tar.gz");
        host.ok("build", "create", directory.toString(), "--name", "hello", "--version", "1.0", "-o", archive.toString());
        return archive;
    }

    private static JsonNode runningOn(JsonNode instances, String hostId) {
        for (JsonNode instance : instances) {
            if (instance.get("host").asText().equals(hostId) && instance.get("state").asText().equals("running")) {
                return instance;
            }
        }
        return null;
    }

    /** Runs real GnuPG in its own home (never ~/.gnupg), bounded to a minute; returns its output. */
    private static byte[] gpg(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty",
                "--pinentry-mode", "loopback", "--passphrase", ""));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "out", "");
        Path err = Files.createTempFile(home, "err", "");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("gpg " + String.join(" ", args) + " did not end within a minute");
        }
        assertThat(process.exitValue()).as("gpg %s: %s", String.join(" ", args), Files.readString(err)).isZero();
        return Files.readAllBytes(out);
    }
}
