package io.spew.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.BuildCreate;
import io.spew.build.BuildFetch;
import io.spew.build.BuildId;
import io.spew.build.BuildImport;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.impl.build.BuildStore;
import io.spew.impl.trust.GnuPg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching a build from other hosts: host A imported an archive signed by GnuPG (a key both hosts trust); host
 * B fetches it from A's store by sha256 and verifies it again. Hosts that lack it, send other bytes, another
 * build or a signature that does not hold are refused with a one-line error, and nothing of theirs is kept.
 */
class BuildFetcherTest {
    @TempDir
    static Path shared;

    private static GnuPg gpg;
    private static String alice;
    private static String mallory;

    @TempDir
    Path temporary;

    private Spew hostA;
    private Spew hostB;
    private Build build;
    private Path archive;
    private final List<BuildFetch> steps = new ArrayList<>();

    @BeforeAll
    static void makeKeys() throws IOException {
        gpg = new GnuPg(shared.resolve("gnupg"));
        alice = gpg.generateKey("Alice <alice@example.org>", "ed25519", "sign", "never", null);
        mallory = gpg.generateKey("Mallory <mallory@example.org>", "ed25519", "sign", "never", null);
    }

    @AfterAll
    static void stopGnuPg() throws Exception {
        gpg.close();
    }

    @BeforeEach
    void twoHosts() throws IOException {
        hostA = SpewEngine.builder().dataDirectory(temporary.resolve("a")).start();
        hostB = SpewEngine.builder().dataDirectory(temporary.resolve("b")).start();
        hostA.trust().add(gpg.exportPublic(alice, true));
        hostB.trust().add(gpg.exportPublic(alice, true));
        archive = packed("hello", "1.0");
        build = hostA.builds().importBuild(new BuildImport(archive, signed(alice, archive), false, null, null, null),
                ImportProgress.NONE);
        hostB.builds().onFetch(steps::add);
    }

    @AfterEach
    void stop() {
        hostA.close();
        hostB.close();
    }

    @Test
    void aBuildIsFetchedFromTheHostThatHasItAndVerifiedAgain() throws IOException {
        BuildSource lacking = new StoreSource("host-c", (BuildStore) hostB.builds());

        Build fetched = fetcher().fetch(build.id(), List.of(lacking, new StoreSource("host-a", store(hostA))));

        assertThat(fetched.id()).isEqualTo(build.id());
        assertThat(fetched.reference()).isEqualTo("hello@1.0");
        assertThat(fetched.signer().fingerprint()).isEqualTo(alice);
        assertThat(hostB.builds().get(build.id().toString())).isEqualTo(fetched);
        assertThat(store(hostB).rootfs(fetched).resolve("run.sh")).exists();
        BuildStore.KeptArchive kept = store(hostB).keptArchive(build.id()).orElseThrow();
        assertThat(Files.readAllBytes(kept.archive())).as("B can serve it on").isEqualTo(Files.readAllBytes(archive));
        assertThat(steps).as("a host that lacks it is passed over quietly").extracting(BuildFetch::host,
                BuildFetch::phase).containsExactly(tuple("host-a", BuildFetch.Phase.FETCHING),
                tuple("host-a", BuildFetch.Phase.FETCHED));
        assertThat(steps.get(1).detail()).isEqualTo("hello@1.0");
        assertBuildsDirectoryHolds(build.id());
    }

    @Test
    void tamperedBytesAreRefusedNothingIsKeptAndTheNextHostIsAsked() throws IOException {
        BuildSource tampering = new StoreSource("host-evil", store(hostA)).tampered(bytes -> {
            bytes[bytes.length / 2] ^= 1;
            return bytes;
        });

        SpewException refused = fetchFails(tampering);
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_BUILD);
        assertThat(refused.getMessage()).contains("host host-evil: it sent an archive whose sha256 is ")
                .contains("not the one asked for: not kept");
        assertBuildsDirectoryHolds();

        steps.clear();
        Build fetched = fetcher().fetch(build.id(), List.of(tampering, new StoreSource("host-a", store(hostA))));
        assertThat(fetched.id()).isEqualTo(build.id());
        assertThat(steps).extracting(BuildFetch::host, BuildFetch::phase).containsExactly(
                tuple("host-evil", BuildFetch.Phase.FETCHING), tuple("host-evil", BuildFetch.Phase.FAILED),
                tuple("host-a", BuildFetch.Phase.FETCHING), tuple("host-a", BuildFetch.Phase.FETCHED));
        assertBuildsDirectoryHolds(build.id());
    }

    @Test
    void anotherBuildServedForTheHashAskedIsRefused() throws IOException {
        Path other = packed("other", "2.0");
        Build otherBuild = hostA.builds().importBuild(new BuildImport(other, signed(alice, other), false, null, null,
                null), ImportProgress.NONE);
        StoreSource swapping = new StoreSource("host-evil", store(hostA)).serving(otherBuild.id());

        SpewException refused = fetchFails(swapping);

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_BUILD);
        assertThat(refused.getMessage()).contains("whose sha256 is " + otherBuild.id().sha256());
        assertBuildsDirectoryHolds();
    }

    @Test
    void anArchiveImportedAsAnotherHashThanExpectedIsNotKept() throws IOException {
        Path other = packed("other", "2.0");
        assertThatThrownBy(() -> store(hostB).importExpected(new BuildImport(other, signed(alice, other), false, null,
                null, null), build.id(), ImportProgress.NONE))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BUILD);
                    assertThat(e.getMessage()).endsWith("not the " + build.id() + " asked for: not kept");
                });
        assertBuildsDirectoryHolds();
    }

    @Test
    void aSignatureOfAnUntrustedKeyOrOfOtherBytesIsRefused() throws IOException {
        byte[] byMallory = gpg.sign(mallory + "!", Files.readAllBytes(archive), null, "--armor", "--detach-sign");
        SpewException untrusted = fetchFails(new StoreSource("host-evil", store(hostA)).signedWith(byMallory));
        assertThat(untrusted.code()).isEqualTo(ErrorCode.UNTRUSTED_SIGNER);
        assertBuildsDirectoryHolds();

        byte[] ofOtherBytes = gpg.sign(alice + "!", "other bytes".getBytes(), null, "--armor", "--detach-sign");
        SpewException bad = fetchFails(new StoreSource("host-evil", store(hostA)).signedWith(ofOtherBytes));
        assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE);
        assertBuildsDirectoryHolds();

        SpewException unsigned = fetchFails(new StoreSource("host-evil", store(hostA)).signedWith(null));
        assertThat(unsigned.code()).isEqualTo(ErrorCode.UNSIGNED_BUILD);
        assertThat(unsigned.getMessage()).contains("must be signed by a trusted key");
        assertBuildsDirectoryHolds();
    }

    @Test
    void noHostThatHasItIsNotFound() {
        SpewException none = fetchFails(new StoreSource("host-c", store(hostB)));
        assertThat(none.code()).isEqualTo(ErrorCode.BUILD_NOT_FOUND);
        assertThat(fetchFails().getMessage()).contains("no other host is up to ask");
    }

    private SpewException fetchFails(BuildSource... sources) {
        try {
            fetcher().fetch(build.id(), List.of(sources));
        } catch (SpewException e) {
            assertThat(e.getMessage()).as("one line").doesNotContain("\n")
                    .startsWith("cannot fetch build " + build.id() + ": ")
                    .endsWith("(import it on this host with 'spew build import FILE')");
            assertThatThrownBy(() -> hostB.builds().get(build.id().toString()))
                    .isInstanceOf(SpewException.class);
            return e;
        }
        throw new AssertionError("the fetch did not fail");
    }

    private BuildFetcher fetcher() {
        return new BuildFetcher(store(hostB));
    }

    private static BuildStore store(Spew spew) {
        return (BuildStore) spew.builds();
    }

    /** Nothing in host B's builds directory but these builds: no staging, no scratch, no half build. */
    private void assertBuildsDirectoryHolds(BuildId... ids) throws IOException {
        try (Stream<Path> entries = Files.list(temporary.resolve("b/builds"))) {
            assertThat(entries.map(entry -> entry.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(ids).map(BuildId::sha256).toList());
        }
    }

    private Path packed(String name, String version) {
        try {
            Path root = Files.createDirectories(temporary.resolve("root-" + name));
            Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho " + name + "\n");
            return hostA.builds().create(new BuildCreate(root, name, version, temporary.resolve(name + ".tar.gz"),
                    null, false)).archive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A detached signature of the archive made by GnuPG, beside it as {@code .gpg.asc}. */
    private Path signed(String signer, Path file) {
        try {
            byte[] signature = gpg.sign(signer + "!", Files.readAllBytes(file), null, "--armor", "--detach-sign");
            return Files.write(file.resolveSibling(file.getFileName() + ".gpg.asc"), signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A host that serves from a build store as {@link BuildTransfer} does, or lies as told: other bytes, another
     * build's archive, another signature.
     */
    private static final class StoreSource implements BuildSource {
        private final String host;
        private final BuildStore store;
        private UnaryOperator<byte[]> tamper = UnaryOperator.identity();
        private BuildId served;
        private boolean resigned;
        private byte[] signature;

        StoreSource(String host, BuildStore store) {
            this.host = host;
            this.store = store;
        }

        StoreSource tampered(UnaryOperator<byte[]> tamper) {
            this.tamper = tamper;
            return this;
        }

        StoreSource serving(BuildId other) {
            this.served = other;
            return this;
        }

        StoreSource signedWith(byte[] signature) {
            this.resigned = true;
            this.signature = signature;
            return this;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public Offer offer(BuildId id) {
            BuildStore.KeptArchive kept = kept(id);
            try {
                byte[] keptSignature = kept.signature() == null ? null : Files.readAllBytes(kept.signature());
                return new Offer(kept.build().name(), kept.build().version(), Files.size(kept.archive()),
                        resigned ? signature : keptSignature);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] read(BuildId id, long offset, int length) {
            try {
                byte[] all = Files.readAllBytes(kept(id).archive());
                int from = (int) Math.min(offset, all.length);
                return tamper.apply(Arrays.copyOfRange(all, from, (int) Math.min(all.length, offset + length)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private BuildStore.KeptArchive kept(BuildId id) {
            BuildId asked = served == null ? id : served;
            return store.keptArchive(asked).orElseThrow(() -> new SpewException(ErrorCode.BUILD_NOT_FOUND,
                    "keeps no archive of build " + asked));
        }
    }
}
