package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import io.spew.runtime.nspawn.NspawnRuntimeFactory;
import io.spew.spi.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/riak-like/containers.yaml} end to end through the command line: the store's
 * members as nspawn containers of a signed busybox build whose {@code etc/store.conf.spewtmpl} Spew
 * renders into each member's writable layer; 3, then 8 in prod, then 3 again. Needs root and
 * systemd-nspawn (CI has both), else it is skipped.
 */
class RiakLikeContainersIT {
    private static final Path EXAMPLE = Path.of("../examples/riak-like");
    private static final List<String> APPLETS = List.of("sh", "tr", "wget", "httpd", "sort", "printf", "echo", "cat");

    @TempDir
    Path temporary;

    private SpewProcesses spew;

    @BeforeEach
    void setUp() throws IOException {
        Probe nspawn = new NspawnRuntimeFactory().probe(null);
        assumeTrue(nspawn.passed() || "true".equals(System.getenv("CI")), () -> "nspawn cannot run here: " + nspawn.reason());
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
    void membersInContainersFindEachOtherThroughRenderedTemplates() throws Exception {
        Path box = makeBox();
        spew.buildAndImport(box, "riak-like-box", "1", temporary.resolve("box.tar.gz"));
        String file = EXAMPLE.resolve("containers.yaml").toAbsolutePath().normalize().toString();
        try {
            spew.ok("start", file, "--wait");
            List<String> three = addresses();
            assertThat(three).hasSize(3);
            for (String address : three) {
                assertThat(members(address)).as("members known to %s", address).containsExactlyElementsOf(three);
            }
            JsonNode first = spew.instance("boxed-store-1");
            assertThat(first.get("runtime").asText()).isEqualTo("nspawn");

            spew.ok("start", file, "--env", "prod", "--wait");
            List<String> eight = addresses();
            assertThat(eight).hasSize(8).containsAll(three);
            assertThat(members(eight.get(0))).containsExactlyElementsOf(eight);
            assertThat(members(eight.get(7))).containsExactlyElementsOf(eight);

            assertThat(spew.ok("start", file).stdout()).contains("5 to stop, 5 to remove");
            assertThat(addresses()).isEqualTo(three);
        } finally {
            spew.run("stop", file, "--rm");
        }
        assertThat(spew.json("ps", "--all", "--json")).isEmpty();
    }

    /** busybox-static and the files of examples/riak-like/box. */
    private Path makeBox() throws IOException {
        Path box = temporary.resolve("box");
        for (String directory : List.of("bin", "usr/bin", "etc", "tmp", "proc", "sys", "dev", "run", "var", "root")) {
            Files.createDirectories(box.resolve(directory));
        }
        Path source = EXAMPLE.resolve("box");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path path : files.toList()) {
                Path target = box.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.copy(Path.of("/bin/busybox"), box.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : APPLETS) {
            Files.createSymbolicLink(box.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(box.resolve("etc/os-release"), "ID=busybox\nNAME=\"riak-like box\"\n");
        Files.writeString(box.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return box;
    }

    private List<String> addresses() throws IOException {
        JsonNode services = Json.mapper().readTree(spew.api("GET", "/services", null).body());
        for (JsonNode service : services) {
            if (service.get("name").asText().equals("boxed-store")) {
                List<String> addresses = new ArrayList<>();
                service.get("addresses").forEach(address -> addresses.add(address.asText()));
                return addresses;
            }
        }
        throw new AssertionError("no service boxed-store: " + services);
    }

    private static List<String> members(String address) throws IOException {
        try (InputStream in = URI.create("http://" + address + "/members").toURL().openStream()) {
            List<String> members = new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).distinct().toList());
            members.sort(null);
            return members;
        }
    }
}
