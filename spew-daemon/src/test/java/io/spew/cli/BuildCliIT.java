package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** {@code spew build} and {@code spew trust} end to end through a real daemon. */
class BuildCliIT extends DaemonProcessTest {

    @Test
    void createImportListShowAndRemoveABuild() throws IOException {
        Path rootfs = Files.createDirectories(temporary.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "hi\n");
        Path archive = temporary.resolve("site-2.0.tar.gz");

        SpewProcesses.Result created = spew.ok("build", "create", rootfs.getParent().toString(), "--name", "site",
                "--version", "2.0", "-o", archive.toString());
        assertThat(created.stdout()).contains(archive.toString(), archive + ".asc");
        assertThat(Files.readString(archive.resolveSibling("site-2.0.tar.gz.asc"), UTF_8)).startsWith("-----BEGIN PGP SIGNATURE-----");

        JsonNode keys = Json.mapper().readTree(spew.ok("trust", "ls", "--json").stdout());
        assertThat(keys).hasSize(1);

        String id = spew.ok("build", "import", archive.toString()).stdout().trim();
        assertThat(id).startsWith("sha256:").hasSize(71);
        JsonNode builds = Json.mapper().readTree(spew.ok("build", "ls", "--json").stdout());
        assertThat(builds).hasSize(1);
        assertThat(builds.get(0).get("name").asText()).isEqualTo("site");
        assertThat(builds.get(0).get("signer").get("fingerprint").asText()).isEqualTo(keys.get(0).get("fingerprint").asText());
        assertThat(spew.ok("build", "show", "site@2.0").stdout()).contains(id, "signed at");

        spew.ok("build", "rm", "site");
        assertThat(spew.run("build", "show", "site").exitCode()).isEqualTo(3);
    }

    @Test
    void badArchivesAndSignaturesExitTwoWithOneLineAndLeaveNoTrace() throws IOException {
        Path evil = temporary.resolve("evil.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(evil))) {
            TarArchiveEntry entry = new TarArchiveEntry("../../outside", true);
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        SpewProcesses.Result unsigned = spew.run("build", "import", evil.toString());
        assertThat(unsigned.exitCode()).isEqualTo(2);
        assertThat(unsigned.stderr()).contains("UNSIGNED_BUILD").contains("--allow-unsigned");

        SpewProcesses.Result escaping = spew.run("build", "import", evil.toString(), "--allow-unsigned",
                "--name", "evil", "--version", "1");
        assertThat(escaping.exitCode()).isEqualTo(2);
        assertThat(escaping.stderr().lines()).hasSize(1);
        assertThat(escaping.stderr()).contains("../../outside").contains("INVALID_BUILD");

        Files.writeString(temporary.resolve("evil.tar.asc"), "-----BEGIN PGP SIGNATURE-----\n\nnot really\n-----END PGP SIGNATURE-----\n");
        SpewProcesses.Result badSignature = spew.run("build", "import", evil.toString());
        assertThat(badSignature.exitCode()).isEqualTo(2);
        assertThat(badSignature.stderr().lines()).hasSize(1);

        assertThat(spew.run("build", "import", temporary.resolve("nosuch.tar").toString()).exitCode()).isEqualTo(3);
        try (Stream<Path> entries = Files.list(data.resolve("builds"))) {
            assertThat(entries.toList()).isEmpty();
        }
        assertThat(temporary.getParent().resolve("outside")).doesNotExist();
    }

    @Test
    void trustAddRefusesGarbageAndRemoveNeedsAKnownKey() throws IOException {
        Path garbage = Files.writeString(temporary.resolve("garbage.asc"), "not a key");
        SpewProcesses.Result added = spew.run("trust", "add", garbage.toString());
        assertThat(added.exitCode()).isEqualTo(2);
        assertThat(added.stderr()).contains("INVALID_KEY");
        assertThat(spew.run("trust", "rm", "0123456789ABCDEF0123456789ABCDEF01234567").exitCode()).isEqualTo(3);
    }
}
