package io.spew.impl.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.build.Build;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.instance.RunRequest;
import io.spew.instance.StopPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds through the facade: create (signed with zero setup), import, refer, remove, and what must leave no trace. */
class BuildStoreTest {
    @TempDir
    Path temporary;

    private Path data;
    private Path rootfs;
    private Spew spew;

    @BeforeEach
    void setUp() throws IOException {
        data = temporary.resolve("data");
        rootfs = temporary.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("run.sh"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(rootfs.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(rootfs.resolve("SPEWMETA"), "TARGET=hello\nVSN=1.0\nRUN=/run.sh\n");
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(rootfs.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/UTC"));
        Files.writeString(rootfs.resolve("usr/bin/tool"), "x".repeat(10_000));
        Files.createLink(rootfs.resolve("usr/bin/tool-link"), rootfs.resolve("usr/bin/tool"));
        spew = SpewEngine.builder().dataDirectory(data).start();
    }

    @AfterEach
    void tearDown() {
        if (spew != null) {
            spew.close();
        }
    }

    private CreatedBuild create(String file) {
        return spew.builds().create(new BuildCreate(rootfs, "hello", "1.0", temporary.resolve(file), null, false));
    }

    @Test
    void aCreatedBuildIsSignedWithZeroSetupAndImports() {
        CreatedBuild created = create("hello.tar.zst");
        assertThat(created.signature()).exists().hasFileName("hello.tar.zst.asc");
        assertThat(spew.trust().list()).extracting(key -> key.fingerprint()).containsExactly(created.signerFingerprint());

        List<long[]> progress = new ArrayList<>();
        Build build = spew.builds().importBuild(BuildImport.of(created.archive()), (read, total) -> progress.add(new long[] {read, total}));
        assertThat(build.id()).isEqualTo(created.id());
        assertThat(build.reference()).isEqualTo("hello@1.0");
        assertThat(build.entryPoint()).isEqualTo("/run.sh");
        assertThat(build.unsigned()).isFalse();
        assertThat(build.signer().fingerprint()).isEqualTo(created.signerFingerprint());
        assertThat(progress).isNotEmpty();
        Path unpacked = data.resolve("builds").resolve(build.id().sha256()).resolve("rootfs");
        assertThat(unpacked.resolve("run.sh")).hasContent("#!/bin/sh\necho hello");
        assertThat(Files.isSymbolicLink(unpacked.resolve("bin"))).isTrue();
        assertThat(spew.builds().get("hello").id()).isEqualTo(build.id());
        assertThat(spew.builds().get("hello@1.0").id()).isEqualTo(build.id());
        assertThat(spew.builds().get(build.id().toString().substring(0, 20)).id()).isEqualTo(build.id());
        assertThat(spew.builds().importBuild(BuildImport.of(created.archive()), ImportProgress.NONE)).isEqualTo(build);
        assertThat(spew.builds().list()).hasSize(1);
    }

    @Test
    void createIsReproducibleInEveryCompression() throws IOException {
        for (String file : List.of("a.tar", "a.tar.gz", "a.tar.zst", "a.tar.xz", "a.tar.bz2")) {
            CreatedBuild first = create("1-" + file);
            CreatedBuild second = create("2-" + file);
            assertThat(Files.readAllBytes(first.archive())).as(file).isEqualTo(Files.readAllBytes(second.archive()));
            assertThat(spew.builds().importBuild(BuildImport.of(first.archive()), ImportProgress.NONE).id())
                    .isEqualTo(first.id());
        }
        assertThat(spew.builds().list()).hasSize(5);
    }

    @Test
    void anUnsignedBuildNeedsAllowUnsigned() throws IOException {
        Path archive = create("u.tar").archive();
        Files.delete(archive.resolveSibling("u.tar.asc"));
        assertThatThrownBy(() -> spew.builds().importBuild(BuildImport.of(archive), ImportProgress.NONE))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSIGNED_BUILD));
        assertNoTrace();
        Build build = spew.builds().importBuild(new BuildImport(archive, null, true, null, null, null), ImportProgress.NONE);
        assertThat(build.unsigned()).isTrue();
        spew.close();
        spew = SpewEngine.builder().dataDirectory(data).start();
        assertThat(spew.builds().get("hello").unsigned()).as("shown forever").isTrue();
    }

    @Test
    void aTamperedArchiveIsRefusedAndLeavesNoTrace() throws IOException {
        Path archive = create("t.tar").archive();
        byte[] bytes = Files.readAllBytes(archive);
        bytes[700] ^= 1;
        Files.write(archive, bytes);
        assertThatThrownBy(() -> spew.builds().importBuild(BuildImport.of(archive), ImportProgress.NONE))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
        assertNoTrace();
    }

    @Test
    void aHostileArchiveIsRefusedNamingTheEntryAndLeavesNoTrace() throws IOException {
        Path archive = temporary.resolve("evil.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry entry = new TarArchiveEntry("fine/../../escaped", true);
            byte[] content = "gotcha".getBytes(StandardCharsets.UTF_8);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> spew.builds().importBuild(new BuildImport(archive, null, true, "evil", "1", null),
                ImportProgress.NONE)).isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BUILD);
                    assertThat(e.getMessage()).contains("fine/../../escaped");
                });
        assertNoTrace();
        assertThat(temporary.resolve("escaped")).doesNotExist();
    }

    @Test
    void createPutsNameAndVersionInTheArchive() throws IOException {
        Files.delete(rootfs.resolve("SPEWMETA"));
        Path archive = spew.builds().create(new BuildCreate(rootfs, "other", "7", temporary.resolve("o.tar"), null, false))
                .archive();
        Build build = spew.builds().importBuild(BuildImport.of(archive), ImportProgress.NONE);
        assertThat(build.reference()).isEqualTo("other@7");
        assertThat(build.entryPoint()).isEqualTo("/run.sh");
    }

    @Test
    void aBuildWithoutNameOrVersionIsRefused() throws IOException {
        Path archive = temporary.resolve("n.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry entry = new TarArchiveEntry("run.sh", true);
            entry.setSize(2);
            tar.putArchiveEntry(entry);
            tar.write(new byte[] {'#', '!'});
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> spew.builds().importBuild(new BuildImport(archive, null, true, null, null, null),
                ImportProgress.NONE)).isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("--name"));
        assertNoTrace();
        Build named = spew.builds().importBuild(new BuildImport(archive, null, true, "named", "2", null), ImportProgress.NONE);
        assertThat(named.reference()).isEqualTo("named@2");
    }

    @Test
    void leftoversOfAnInterruptedImportAreCleanedAtStart() throws IOException {
        Path staging = data.resolve("builds/.staging-0123456789abcdef/rootfs/etc");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("half"), "half written");
        spew.close();
        spew = SpewEngine.builder().dataDirectory(data).start();
        assertNoTrace();
    }

    @Test
    void aBuildInUseIsNotRemoved() throws IOException {
        Build build = spew.builds().importBuild(BuildImport.of(create("r.tar").archive()), ImportProgress.NONE);
        spew.appliances().apply(new Appliance("web", "shell", "hello@1.0", List.of("/bin/sleep", "60"), Map.of(), null,
                StopPolicy.DEFAULT, Map.of(), Map.of(), null));
        assertThatThrownBy(() -> spew.builds().remove("hello"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("appliance web"));
        var instance = spew.instances().run(RunRequest.of("web"));
        assertThat(instance.spec().build()).isEqualTo(build.id().toString());
        spew.appliances().remove("web");
        assertThatThrownBy(() -> spew.builds().remove("hello"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("instance web-1"));
        spew.instances().stop("web-1");
        spew.instances().remove("web-1");
        spew.builds().remove("hello");
        assertThat(spew.builds().list()).isEmpty();
        assertNoTrace();
        assertThatThrownBy(() -> spew.builds().get("hello"))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUILD_NOT_FOUND));
    }

    private void assertNoTrace() throws IOException {
        try (Stream<Path> entries = Files.list(data.resolve("builds"))) {
            assertThat(entries.filter(entry -> !Files.exists(entry.resolve("build.json"))).toList()).isEmpty();
        }
    }
}
