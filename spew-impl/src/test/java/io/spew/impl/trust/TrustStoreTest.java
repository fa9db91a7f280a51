package io.spew.impl.trust;

import io.spew.trust.TrustedKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spew trust add | ls | rm} over keys made by real GnuPG. */
class TrustStoreTest {
    private static final String ALICE = "Alice <alice@example.org>";
    private static final String BOB = "Bob <bob@example.org>";

    @TempDir
    static Path gnupgDirectory;

    @TempDir
    Path directory;

    private static GnuPg gpg;
    private static String alice;
    private static String aliceEncryptionSubkey;
    private static String bob;

    private TrustStore trust;

    @BeforeAll
    static void makeKeys() throws Exception {
        gpg = new GnuPg(gnupgDirectory.resolve("gnupg"));
        alice = gpg.generateKey(ALICE, "rsa3072", "sign,cert", "never", null);
        aliceEncryptionSubkey = gpg.addSubkey(alice, "rsa2048", "encr");
        bob = gpg.generateKey(BOB, "ed25519", "sign,cert", "2y", null);
    }

    @AfterAll
    static void stopGnuPg() throws Exception {
        gpg.close();
    }

    @BeforeEach
    void makeStore() {
        trust = new TrustStore(directory.resolve("trust"));
    }

    @Test
    void addsArmoredAndBinaryKeysAndListsThemByFingerprint() throws Exception {
        TrustedKey addedAlice = trust.add(gpg.exportPublic(alice, true));
        TrustedKey addedBob = trust.add(gpg.exportPublic(bob, false));

        assertThat(addedAlice.fingerprint()).isEqualTo(alice);
        assertThat(addedAlice.userId()).isEqualTo(ALICE);
        assertThat(addedAlice.algorithm()).isEqualTo("RSA 3072");
        assertThat(addedAlice.created()).isBetween(Instant.now().minusSeconds(600), Instant.now());
        assertThat(addedAlice.expires()).isNull();
        assertThat(addedAlice.subkeys()).containsExactly(aliceEncryptionSubkey);
        assertThat(addedBob.fingerprint()).isEqualTo(bob);
        assertThat(addedBob.userId()).isEqualTo(BOB);
        assertThat(addedBob.algorithm()).isEqualTo("Ed25519");
        assertThat(addedBob.expires()).isAfter(Instant.now().plusSeconds(365L * 86400));
        assertThat(trust.list()).containsExactlyElementsOf(
                alice.compareTo(bob) < 0 ? List.of(addedAlice, addedBob) : List.of(addedBob, addedAlice));
        Path file = directory.resolve("trust").resolve(alice + ".asc");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void addingTheSameKeyAgainKeepsOneCopy() {
        trust.add(gpg.exportPublic(alice, true));
        trust.add(gpg.exportPublic(alice, false));

        assertThat(trust.list()).extracting(TrustedKey::fingerprint).containsExactly(alice);
    }

    @Test
    void secretKeyFileIsTrustedByItsPublicPart() throws Exception {
        TrustedKey added = trust.add(gpg.exportSecret(alice, true));

        assertThat(added.fingerprint()).isEqualTo(alice);
        String stored = Files.readString(directory.resolve("trust").resolve(alice + ".asc"));
        assertThat(stored).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
        assertThat(TrustStore.parseKey(stored.getBytes(StandardCharsets.US_ASCII)).getPublicKey().getFingerprint())
                .isEqualTo(TrustStore.parseKey(gpg.exportPublic(alice, false)).getPublicKey().getFingerprint());
    }

    @Test
    void removesByFingerprintInAnyCaseWithSpaces() {
        trust.add(gpg.exportPublic(alice, true));
        trust.add(gpg.exportPublic(bob, true));
        String spaced = alice.toLowerCase(Locale.ROOT).replaceAll("(.{4})", "$1 ").trim();

        trust.remove(spaced);

        assertThat(trust.list()).extracting(TrustedKey::fingerprint).containsExactly(bob);
        assertThatThrownBy(() -> trust.remove(alice)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND);
            assertThat(e.getMessage()).contains(alice);
        });
        assertThatThrownBy(() -> trust.remove(bob.substring(24))).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND);
            assertThat(e.getMessage()).contains("not a full fingerprint");
        });
    }

    @Test
    void garbageIsRefused() {
        byte[] random = new byte[500];
        new Random(7).nextBytes(random);

        assertInvalidKey(random, "not");
        assertInvalidKey(new byte[0], "is empty");
        assertInvalidKey("hello\n".getBytes(StandardCharsets.US_ASCII),
                "neither binary OpenPGP data nor ASCII-armored");
        assertInvalidKey(gpg.sign(alice, "x".getBytes(StandardCharsets.US_ASCII), null, "--detach-sign"),
                "not an OpenPGP key", "a signature");
        for (int seed = 0; seed < 200; seed++) {
            byte[] bytes = new byte[1 + seed * 5];
            new Random(seed).nextBytes(bytes);
            assertThatThrownBy(() -> trust.add(bytes)).isInstanceOfSatisfying(SpewException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY));
        }
        assertThat(trust.list()).isEmpty();
    }

    @Test
    void fileWithTwoKeysIsRefused() {
        byte[] both = gpg.run(null, "--export", alice, bob);

        assertInvalidKey(both, "more than one key");
    }

    @Test
    void keyWithoutUserIdIsRefused() throws Exception {
        PGPPublicKeyRing ring = TrustStore.parseKey(gpg.exportPublic(alice, false));
        PGPPublicKey withoutUserId = PGPPublicKey.removeCertification(ring.getPublicKey(), ALICE);

        assertInvalidKey(TrustStore.armor(new PGPPublicKeyRing(List.of(withoutUserId))), alice, "no user id");
    }

    @Test
    void userIdCertifiedByAnotherKeyOnlyIsRefused() throws Exception {
        // Alice's key, stripped of its own user id, with Bob's user id and Bob's certification of it
        PGPPublicKey aliceKey = PGPPublicKey.removeCertification(
                TrustStore.parseKey(gpg.exportPublic(alice, false)).getPublicKey(), ALICE);
        PGPPublicKey bobKey = TrustStore.parseKey(gpg.exportPublic(bob, false)).getPublicKey();
        PGPSignature bobsCertification = bobKey.getSignaturesForID(BOB).next();
        PGPPublicKey forged = PGPPublicKey.addCertification(aliceKey, BOB, bobsCertification);

        assertInvalidKey(TrustStore.armor(new PGPPublicKeyRing(List.of(forged))), "no user id");
    }

    @Test
    void selfCertificationMovedToAnotherUserIdIsRefused() throws Exception {
        PGPPublicKey aliceKey = TrustStore.parseKey(gpg.exportPublic(alice, false)).getPublicKey();
        PGPSignature aliceSelfCertification = aliceKey.getSignaturesForID(ALICE).next();
        PGPPublicKey swapped = PGPPublicKey.addCertification(PGPPublicKey.removeCertification(aliceKey, ALICE),
                "Mallory <mallory@example.org>", aliceSelfCertification);

        assertInvalidKey(TrustStore.armor(new PGPPublicKeyRing(List.of(swapped))), "no user id");
    }

    @Test
    void revokedKeyIsRefusedAndNotStored() throws Exception {
        String carol = gpg.generateKey("Carol <carol@example.org>", "rsa2048", "sign,cert", "never", null);
        gpg.revoke(carol);

        assertInvalidKey(gpg.exportPublic(carol, true), carol, "revoked", "cannot be trusted");
        assertThat(trust.list()).isEmpty();
        assertThat(directory.resolve("trust").resolve(carol + ".asc")).doesNotExist();
    }

    @Test
    void revokedKeyIsNotTrustedAgain() throws Exception {
        String dave = gpg.generateKey("Dave <dave@example.org>", "rsa2048", "sign,cert", "never", null);
        byte[] beforeRevocation = gpg.exportPublic(dave, true);
        trust.add(beforeRevocation);
        gpg.revoke(dave);

        assertInvalidKey(gpg.exportPublic(dave, true), dave, "revoked", "revocation is now recorded");
        assertInvalidKey(beforeRevocation, dave, "recorded as revoked");
    }

    @Test
    void filesThatAreNotKeysAreIgnored() throws Exception {
        trust.add(gpg.exportPublic(alice, true));
        Path store = directory.resolve("trust");
        Files.writeString(store.resolve(bob + ".asc"), "not a key");
        Files.write(store.resolve("0000000000000000000000000000000000000000.asc"), gpg.exportPublic(bob, true));
        Files.writeString(store.resolve("README"), "hello");

        assertThat(trust.list()).extracting(TrustedKey::fingerprint).containsExactly(alice);
    }

    private void assertInvalidKey(byte[] keyFile, String... messageParts) {
        assertThatThrownBy(() -> trust.add(keyFile)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_KEY);
            assertThat(e.getMessage()).contains(messageParts);
        });
    }
}
