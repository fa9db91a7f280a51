package io.spew.impl.trust;

import io.spew.build.BuildSigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Detached signatures made by real GnuPG, checked by {@link SignatureVerifier}: one good, every bad one refused. */
class SignatureVerifierTest {
    private static final String ALICE = "Alice <alice@example.org>";

    @TempDir
    static Path directory;

    private static GnuPg gpg;
    private static TrustStore trust;
    private static SignatureVerifier verifier;
    private static String alice;
    private static String aliceSigningSubkey;
    private static byte[] data;
    private static byte[] otherData;

    @BeforeAll
    static void makeKeys() throws Exception {
        gpg = new GnuPg(directory.resolve("gnupg"));
        alice = gpg.generateKey(ALICE, "rsa2048", "sign,cert", "never", null);
        aliceSigningSubkey = gpg.addSubkey(alice, "rsa2048", "sign");
        trust = new TrustStore(directory.resolve("trust"));
        trust.add(gpg.exportPublic(alice, true));
        verifier = new SignatureVerifier(trust);
        data = randomBytes(1, 3 * 1024 * 1024 + 17);
        otherData = randomBytes(2, 1000);
    }

    @AfterAll
    static void stopGnuPg() throws Exception {
        gpg.close();
    }

    @Test
    void goodSignatureVerifiesAndNamesItsSigner() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] signature = gpg.sign(alice + "!", data, null, "--armor", "--detach-sign", "--digest-algo", "SHA256");
        Instant after = Instant.now();

        BuildSigner signer = verify(signature, data);

        assertThat(signer.fingerprint()).isEqualTo(alice);
        assertThat(signer.signingKeyFingerprint()).isEqualTo(alice);
        assertThat(signer.userId()).isEqualTo(ALICE);
        assertThat(signer.signedAt()).isBetween(before, after);
    }

    @Test
    void binarySignatureOverSha512Verifies() {
        byte[] signature = gpg.sign(alice + "!", data, null, "--detach-sign", "--digest-algo", "SHA512");

        assertThat(verify(signature, data).fingerprint()).isEqualTo(alice);
    }

    @Test
    void signatureBySigningSubkeyOfTrustedKeyVerifies() {
        byte[] signature = gpg.sign(aliceSigningSubkey + "!", data, null, "--armor", "--detach-sign");

        BuildSigner signer = verify(signature, data);

        assertThat(signer.fingerprint()).isEqualTo(alice);
        assertThat(signer.signingKeyFingerprint()).isEqualTo(aliceSigningSubkey);
        assertThat(signer.userId()).isEqualTo(ALICE);
    }

    @Test
    void signatureByKeyNotTrustedIsRefused() {
        String mallory = gpg.generateKey("Mallory <mallory@example.org>", "rsa2048", "sign,cert", "never", null);
        byte[] signature = gpg.sign(mallory, data, null, "--armor", "--detach-sign");

        assertRefused(signature, data, ErrorCode.UNTRUSTED_SIGNER, mallory, "not trusted", "spew trust add KEYFILE");
    }

    @Test
    void signatureByTrustedAndUntrustedKeysVerifiesAsTheTrustedOne() {
        String carol = gpg.generateKey("Carol <carol@example.org>", "rsa2048", "sign,cert", "never", null);
        byte[] twoSignatures = concat(gpg.sign(carol, data, null, "--detach-sign"),
                gpg.sign(alice + "!", data, null, "--detach-sign"));

        assertThat(verify(twoSignatures, data).fingerprint()).isEqualTo(alice);
    }

    @Test
    void tamperedDataIsRefused() {
        byte[] signature = gpg.sign(alice + "!", data, null, "--armor", "--detach-sign");
        byte[] tampered = data.clone();
        tampered[tampered.length / 2] ^= 1;

        assertRefused(signature, tampered, ErrorCode.INVALID_SIGNATURE, "does not match its signature", alice);
        assertRefused(signature, java.util.Arrays.copyOf(data, data.length - 1), ErrorCode.INVALID_SIGNATURE,
                "does not match");
    }

    @Test
    void signatureOfAnotherFileIsRefused() {
        byte[] signature = gpg.sign(alice + "!", otherData, null, "--armor", "--detach-sign");

        assertRefused(signature, data, ErrorCode.INVALID_SIGNATURE, "does not match", "another file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1", "RIPEMD160", "SHA224"})
    void signatureOverWeakHashIsRefused(String hash) {
        byte[] signature = gpg.sign(alice + "!", data, null, "--armor", "--detach-sign", "--digest-algo", hash);
        String name = switch (hash) {
            case "SHA1" -> "SHA-1";
            case "RIPEMD160" -> "RIPEMD-160";
            default -> "SHA-224";
        };

        assertRefused(signature, data, ErrorCode.INVALID_SIGNATURE, "uses " + name, "too weak", "SHA-256");
    }

    @Test
    void textModeSignatureIsRefused() {
        byte[] signature = gpg.sign(alice + "!", data, null, "--armor", "--detach-sign", "--textmode");

        assertRefused(signature, data, ErrorCode.INVALID_SIGNATURE, "text document", "0x01");
    }

    @Test
    void signatureByExpiredKeyIsRefusedUntilTheKeyIsExtended() throws Exception {
        Instant made = Instant.now().minus(Duration.ofDays(10));
        String dave = gpg.generateKey("Dave <dave@example.org>", "rsa2048", "sign,cert", "2d", made);
        byte[] signature = gpg.sign(dave, data, made.plus(Duration.ofDays(1)), "--armor", "--detach-sign");
        byte[] expiredKey = gpg.exportPublic(dave, true);
        assertThatThrownBy(() -> trust.add(expiredKey))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY);
                    assertThat(e.getMessage()).contains(dave, "expired on");
                });
        // trusted while it was valid
        Files.write(directory.resolve("trust").resolve(dave + ".asc"), expiredKey);

        assertRefused(signature, data, ErrorCode.UNTRUSTED_SIGNER, dave, "expired on");

        gpg.run(null, "--quick-set-expire", dave, "0");
        // the key as extended, with its first self-signature kept beside the latest one, which wins
        PGPPublicKey extended = TrustStore.parseKey(gpg.exportPublic(dave, false)).getPublicKey();
        PGPSignature firstSelfSignature = TrustStore.parseKey(expiredKey).getPublicKey()
                .getSignaturesForID("Dave <dave@example.org>").next();
        PGPPublicKey withBoth = PGPPublicKey.addCertification(extended, "Dave <dave@example.org>", firstSelfSignature);
        assertThat(withBoth.getSignaturesForID("Dave <dave@example.org>")).toIterable().hasSize(2);
        trust.add(TrustStore.armor(new PGPPublicKeyRing(List.of(withBoth))));
        assertThat(verify(signature, data).fingerprint()).isEqualTo(dave);
    }

    @Test
    void signatureByRevokedKeyIsRefused() throws Exception {
        String erin = gpg.generateKey("Erin <erin@example.org>", "rsa2048", "sign,cert", "never", null);
        trust.add(gpg.exportPublic(erin, true));
        byte[] signature = gpg.sign(erin, data, null, "--armor", "--detach-sign");
        assertThat(verify(signature, data).fingerprint()).isEqualTo(erin);

        gpg.revoke(erin);
        assertThatThrownBy(() -> trust.add(gpg.exportPublic(erin, true)))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY);
                    assertThat(e.getMessage()).contains(erin, "revoked", "now recorded");
                });

        assertRefused(signature, data, ErrorCode.UNTRUSTED_SIGNER, erin, "revoked on");
    }

    @Test
    void signatureByRevokedSubkeyIsRefused() {
        String frank = gpg.generateKey("Frank <frank@example.org>", "rsa2048", "sign,cert", "never", null);
        String subkey = gpg.addSubkey(frank, "rsa2048", "sign");
        byte[] signature = gpg.sign(subkey + "!", data, null, "--detach-sign");
        gpg.revokeFirstSubkey(frank);
        trust.add(gpg.exportPublic(frank, false));

        assertRefused(signature, data, ErrorCode.UNTRUSTED_SIGNER, "subkey " + subkey, frank, "revoked on");
    }

    @Test
    void attachedSignatureIsRefused() {
        byte[] small = gpg.sign(alice + "!", otherData, null, "--sign");
        byte[] smallArmored = gpg.sign(alice + "!", otherData, null, "--sign", "--armor");
        byte[] large = gpg.sign(alice + "!", data, null, "--sign", "--compress-algo", "none");

        assertRefused(small, otherData, ErrorCode.INVALID_SIGNATURE, "signed message", "not a detached signature");
        assertRefused(smallArmored, otherData, ErrorCode.INVALID_SIGNATURE, "signed message",
                "not a detached signature");
        assertRefused(large, data, ErrorCode.INVALID_SIGNATURE, "too large", "signed message");
    }

    @Test
    void clearsignedTextIsRefused() {
        byte[] clearsigned = gpg.sign(alice + "!", "some text\n".getBytes(StandardCharsets.UTF_8), null, "--clearsign");

        assertRefused(clearsigned, data, ErrorCode.INVALID_SIGNATURE, "clearsigned text");
    }

    @Test
    void publicKeyGivenAsSignatureIsRefused() {
        assertRefused(gpg.exportPublic(alice, true), data, ErrorCode.INVALID_SIGNATURE, "is a public key");
        assertRefused(gpg.exportPublic(alice, false), data, ErrorCode.INVALID_SIGNATURE, "is a public key");
    }

    @Test
    void revocationCertificateGivenAsSignatureIsRefused() throws Exception {
        String file = Files.readString(gpg.home().resolve("openpgp-revocs.d").resolve(alice + ".rev"));
        String certificate = file.substring(file.indexOf(":-----BEGIN PGP") + 1);

        assertRefused(certificate.getBytes(StandardCharsets.US_ASCII), data, ErrorCode.INVALID_SIGNATURE,
                "armored as \"PGP PUBLIC KEY BLOCK\"");
    }

    @Test
    void randomBytesAreRefused() {
        assertRefused(randomBytes(3, 600), data, ErrorCode.INVALID_SIGNATURE, "signature file of");
        for (int seed = 0; seed < 300; seed++) {
            byte[] random = randomBytes(seed, 1 + seed * 7);
            assertThatThrownBy(() -> verifier.begin(random, "data"))
                    .isInstanceOfSatisfying(SpewException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE));
        }
    }

    @Test
    void emptyFileAndTextAfterTheArmorAreRefused() {
        byte[] signature = gpg.sign(alice + "!", data, null, "--armor", "--detach-sign");

        assertRefused(new byte[0], data, ErrorCode.INVALID_SIGNATURE, "is empty");
        assertRefused(concat(signature, signature), data, ErrorCode.INVALID_SIGNATURE, "more after");
        assertRefused(concat("hello\n".getBytes(StandardCharsets.US_ASCII), signature), data,
                ErrorCode.INVALID_SIGNATURE, "neither binary OpenPGP data nor ASCII-armored");
    }

    private static BuildSigner verify(byte[] signature, byte[] signed) {
        SignatureVerifier.Verification verification = verifier.begin(signature, "data.tar");
        Random chunks = new Random(42);
        for (int offset = 0; offset < signed.length; ) {
            int length = Math.min(signed.length - offset, 1 + chunks.nextInt(200_000));
            verification.update(signed, offset, length);
            offset += length;
        }
        return verification.finish();
    }

    private static void assertRefused(byte[] signature, byte[] signed, ErrorCode code, String... messageParts) {
        assertThatThrownBy(() -> verify(signature, signed))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
                    assertThat(e.getMessage()).contains("data.tar").contains(messageParts);
                });
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(first);
        bytes.writeBytes(second);
        return bytes.toByteArray();
    }
}
