package io.spew.impl.trust;

import io.spew.trust.TrustedKey;
import io.spew.build.BuildSigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local signing key: made once, trusted, and its signatures good for Spew and for GnuPG. */
class LocalSigningKeyTest {
    private static final String USER_ID = "Spew local key <root@test-host>";

    @TempDir
    Path directory;

    private GnuPg gpg;
    private TrustStore trust;
    private Path keys;

    @BeforeEach
    void setUp() throws Exception {
        gpg = new GnuPg(directory.resolve("gnupg"));
        trust = new TrustStore(directory.resolve("trust"));
        keys = directory.resolve("keys");
    }

    @AfterEach
    void stopGnuPg() throws Exception {
        gpg.close();
    }

    @Test
    void ensureMakesTheKeyOnceAndTrustsIt() throws Exception {
        LocalSigningKey first = LocalSigningKey.ensure(keys, trust, USER_ID);
        LocalSigningKey second = LocalSigningKey.ensure(keys, trust, USER_ID);

        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).matches("[0-9A-F]{40}");
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        Path file = keys.resolve(LocalSigningKey.FILE_NAME);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(keys)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(file)).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        assertThat(trust.list()).singleElement().satisfies(key -> {
            assertThat(key.fingerprint()).isEqualTo(first.fingerprint());
            assertThat(key.userId()).isEqualTo(USER_ID);
            assertThat(key.algorithm()).isEqualTo("RSA 3072");
            assertThat(key.expires()).isNull();
        });
    }

    @Test
    void ensureTrustsAnExistingKeyAgainIfItsTrustWasLost() {
        LocalSigningKey key = LocalSigningKey.ensure(keys, trust, USER_ID);
        trust.remove(key.fingerprint());

        LocalSigningKey.ensure(keys, trust, USER_ID);

        assertThat(trust.list()).extracting(TrustedKey::fingerprint).containsExactly(key.fingerprint());
    }

    @Test
    void signatureIsVerifiedBySpewAndByGnuPg() throws Exception {
        LocalSigningKey key = LocalSigningKey.ensure(keys, trust, USER_ID);
        byte[] data = new byte[5 * 1024 * 1024 + 3];
        new Random(1).nextBytes(data);
        Path dataFile = Files.write(directory.resolve("data.tar"), data);

        byte[] signature = key.signDetached(new ByteArrayInputStream(data));

        assertThat(new String(signature, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PGP SIGNATURE-----");
        PGPSignature parsed = SignatureFile.parse(signature, "data.tar").get(0);
        assertThat(parsed.getHashAlgorithm()).isEqualTo(HashAlgorithmTags.SHA256);
        assertThat(parsed.getSignatureType()).isEqualTo(PGPSignature.BINARY_DOCUMENT);
        SignatureVerifier.Verification verification = new SignatureVerifier(trust).begin(signature, "data.tar");
        verification.update(data, 0, data.length);
        BuildSigner signer = verification.finish();
        assertThat(signer.fingerprint()).isEqualTo(key.fingerprint());
        assertThat(signer.userId()).isEqualTo(USER_ID);

        gpg.importKey(key.publicKey());
        Path signatureFile = Files.write(directory.resolve("data.tar.asc"), signature);
        String status = new String(gpg.run(null, "--status-fd", "1", "--verify", signatureFile.toString(),
                dataFile.toString()), StandardCharsets.UTF_8);
        assertThat(status).contains("[GNUPG:] GOODSIG").contains("[GNUPG:] VALIDSIG " + key.fingerprint());
        data[12345] ^= 1;
        Files.write(dataFile, data);
        assertThat(gpg.exitCode(null, "--verify", signatureFile.toString(), dataFile.toString())).isNotZero();
    }

    @Test
    void loadsUnprotectedSecretKeysExportedByGnuPg() throws Exception {
        String alice = gpg.generateKey("Alice <alice@example.org>", "rsa2048", "sign,cert", "never", null);
        trust.add(gpg.exportPublic(alice, true));
        byte[] data = "a build".getBytes(StandardCharsets.US_ASCII);

        for (boolean armored : new boolean[] {true, false}) {
            Path file = Files.write(directory.resolve("alice-" + armored + ".key"), gpg.exportSecret(alice, armored));
            LocalSigningKey key = LocalSigningKey.load(file);

            assertThat(key.fingerprint()).isEqualTo(alice);
            SignatureVerifier.Verification verification = new SignatureVerifier(trust)
                    .begin(key.signDetached(new ByteArrayInputStream(data)), "build");
            verification.update(data, 0, data.length);
            assertThat(verification.finish().fingerprint()).isEqualTo(alice);
        }
    }

    @Test
    void passphraseProtectedKeyIsRefused() throws Exception {
        gpg.run(null, "--passphrase", "secret", "--quick-gen-key", "Carol <carol@example.org>", "rsa2048",
                "sign,cert", "never");
        byte[] protectedKey = gpg.run(null, "--passphrase", "secret", "--armor", "--export-secret-keys", "carol");
        Path file = Files.write(directory.resolve("carol.key"), protectedKey);

        assertThatThrownBy(() -> LocalSigningKey.load(file)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY);
            assertThat(e.getMessage()).contains(file.toString(), "passphrase");
        });
    }

    @Test
    void publicKeyOrGarbageIsNotASecretKey() throws Exception {
        String alice = gpg.generateKey("Alice <alice@example.org>", "rsa2048", "sign,cert", "never", null);
        Path publicKey = Files.write(directory.resolve("alice.asc"), gpg.exportPublic(alice, true));
        Path garbage = Files.writeString(directory.resolve("garbage"), "garbage");

        assertThatThrownBy(() -> LocalSigningKey.load(publicKey)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY);
            assertThat(e.getMessage()).contains("not a secret key", "a public key");
        });
        assertThatThrownBy(() -> LocalSigningKey.load(garbage)).isInstanceOfSatisfying(SpewException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_KEY));
    }
}
