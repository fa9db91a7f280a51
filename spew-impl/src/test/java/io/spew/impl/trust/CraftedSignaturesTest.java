package io.spew.impl.trust;

import io.spew.build.BuildSigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.function.Consumer;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and signatures GnuPG would not make, crafted with Bouncy Castle, each refused for what is wrong with it. */
class CraftedSignaturesTest {
    private static final int CERTIFIES_AND_SIGNS = KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA;
    private static final int NO_SUBKEY = -1;
    private static final byte[] DATA = "the bytes of a build".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.now();
    private static final Date LAST_WEEK = Date.from(NOW.minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS));

    private static KeyPair rsa1;
    private static KeyPair rsa2;
    private static KeyPair rsa3;

    @TempDir
    Path directory;

    private TrustStore trust;

    @BeforeAll
    static void makeRsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa1 = generator.generateKeyPair();
        rsa2 = generator.generateKeyPair();
        rsa3 = generator.generateKeyPair();
    }

    @BeforeEach
    void makeStore() {
        trust = new TrustStore(directory.resolve("trust"));
    }

    @Test
    void craftedGoodSignaturesVerify() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.BY_SUBKEY);
        trust.add(key.armoredPublicKey());

        assertThat(verify(key.sign(key.primary, new Date(), subpackets -> {})).signingKeyFingerprint())
                .isEqualTo(key.fingerprint());
        assertThat(verify(key.sign(key.subkey, new Date(), subpackets -> {})).signingKeyFingerprint())
                .isEqualTo(OpenPgp.fingerprint(key.subkey.getPublicKey()));
    }

    @Test
    void signingSubkeyWithoutBackSignatureIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.subkey, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "not a signing subkey", "back-signature");
    }

    @Test
    void signingSubkeyWithForgedBackSignatureIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.FORGED);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.subkey, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "not a signing subkey", "back-signature");
    }

    @Test
    void subkeyWithoutSignFlagIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.ENCRYPT_STORAGE, BackSignature.BY_SUBKEY);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.subkey, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "not a signing subkey", "sign flag");
    }

    @Test
    void subkeyOfAnotherKeyInsertedIntoTrustedKeyIsRefused() throws Exception {
        TestKey trusted = TestKey.make(CERTIFIES_AND_SIGNS, NO_SUBKEY, BackSignature.NONE);
        TestKey other = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.BY_SUBKEY, rsa2, rsa3);
        // the other key's subkey, with its binding signature by the other key
        PGPPublicKeyRing spliced = PGPPublicKeyRing.insertPublicKey(trusted.publicKeys,
                other.publicKeys.getPublicKey(other.subkey.getKeyID()));
        assertThat(trust.add(TrustStore.armor(spliced)).subkeys()).isEmpty();

        assertRefused(other.sign(other.subkey, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "a subkey of trusted key " + trusted.fingerprint(), "does not properly bind");
    }

    @Test
    void bindingSignatureMovedToAnotherSubkeyIsRefused() throws Exception {
        TestKey trusted = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.BY_SUBKEY);
        TestKey other = TestKey.make(CERTIFIES_AND_SIGNS, KeyFlags.SIGN_DATA, BackSignature.BY_SUBKEY, rsa2, rsa3);
        // the other key's subkey, with the binding signature the trusted key made for its own subkey
        PGPSignature trustedBinding = trusted.publicKeys.getPublicKey(trusted.subkey.getKeyID())
                .getSignaturesOfType(PGPSignature.SUBKEY_BINDING).next();
        PGPPublicKey otherSubkey = other.publicKeys.getPublicKey(other.subkey.getKeyID());
        PGPPublicKey moved = PGPPublicKey.addCertification(PGPPublicKey.removeCertification(otherSubkey,
                otherSubkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING).next()), trustedBinding);
        trust.add(TrustStore.armor(PGPPublicKeyRing.insertPublicKey(trusted.publicKeys, moved)));

        assertRefused(other.sign(other.subkey, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "a subkey of trusted key " + trusted.fingerprint(), "does not properly bind");
    }

    @Test
    void primaryKeyWhoseFlagsDoNotAllowSigningIsRefused() throws Exception {
        TestKey key = TestKey.make(KeyFlags.CERTIFY_OTHER, NO_SUBKEY, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.primary, new Date(), subpackets -> {}), ErrorCode.UNTRUSTED_SIGNER,
                "key flags do not allow signing data");
    }

    @Test
    void signatureDatedBeforeItsKeyIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, NO_SUBKEY, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.primary, new Date(LAST_WEEK.getTime() - 86_400_000L), subpackets -> {}),
                ErrorCode.INVALID_SIGNATURE, "before trusted key " + key.fingerprint());
    }

    @Test
    void signatureDatedInTheFutureIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, NO_SUBKEY, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.primary, Date.from(NOW.plus(Duration.ofDays(1))), subpackets -> {}),
                ErrorCode.INVALID_SIGNATURE, "in the future");
    }

    @Test
    void expiredSignatureIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, NO_SUBKEY, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        byte[] signature = key.sign(key.primary, LAST_WEEK,
                subpackets -> subpackets.setSignatureExpirationTime(false, 3600));

        assertRefused(signature, ErrorCode.INVALID_SIGNATURE, "expired on");
    }

    @Test
    void unknownCriticalSubpacketIsRefused() throws Exception {
        TestKey key = TestKey.make(CERTIFIES_AND_SIGNS, NO_SUBKEY, BackSignature.NONE);
        trust.add(key.armoredPublicKey());

        assertRefused(key.sign(key.primary, new Date(),
                        subpackets -> subpackets.addNotationData(true, true, "policy@example.org", "strict")),
                ErrorCode.INVALID_SIGNATURE, "critical subpacket of type 20");
    }

    private BuildSigner verify(byte[] signature) {
        SignatureVerifier.Verification verification = new SignatureVerifier(trust).begin(signature, "build.tar");
        verification.update(DATA, 0, DATA.length);
        return verification.finish();
    }

    private void assertRefused(byte[] signature, ErrorCode code, String... messageParts) {
        assertThatThrownBy(() -> verify(signature)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.getMessage()).contains("build.tar").contains(messageParts);
        });
    }

    private enum BackSignature { NONE, BY_SUBKEY, FORGED }

    /** A key made last week: an RSA primary key with these flags, and an RSA subkey unless its flags are -1. */
    private static final class TestKey {
        final PGPKeyPair primary;
        final PGPKeyPair subkey;
        final PGPPublicKeyRing publicKeys;

        private TestKey(PGPKeyPair primary, PGPKeyPair subkey, PGPPublicKeyRing publicKeys) {
            this.primary = primary;
            this.subkey = subkey;
            this.publicKeys = publicKeys;
        }

        static TestKey make(int primaryFlags, int subkeyFlags, BackSignature backSignature) throws Exception {
            return make(primaryFlags, subkeyFlags, backSignature, rsa1, rsa2);
        }

        static TestKey make(int primaryFlags, int subkeyFlags, BackSignature backSignature, KeyPair primaryRsa,
                KeyPair subkeyRsa) throws Exception {
            PGPKeyPair primary = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    primaryRsa, LAST_WEEK);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, primaryFlags);
            hashed.setIssuerFingerprint(false, primary.getPublicKey());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
                    "Test <test@example.org>",
                    new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1),
                    hashed.generate(), null,
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            PGPKeyPair subkey = null;
            if (subkeyFlags != NO_SUBKEY) {
                subkey = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, subkeyRsa,
                        LAST_WEEK);
                PGPSignatureSubpacketGenerator binding = new PGPSignatureSubpacketGenerator();
                binding.setKeyFlags(false, subkeyFlags);
                if (backSignature != BackSignature.NONE) {
                    // a forged one is made by the primary key, though it names the subkey as its issuer
                    PGPKeyPair signer = backSignature == BackSignature.BY_SUBKEY ? subkey : primary;
                    PGPSignatureGenerator back = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                            PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), signer.getPublicKey());
                    back.init(PGPSignature.PRIMARYKEY_BINDING, signer.getPrivateKey());
                    PGPSignatureSubpacketGenerator backHashed = new PGPSignatureSubpacketGenerator();
                    backHashed.setIssuerFingerprint(false, subkey.getPublicKey());
                    back.setHashedSubpackets(backHashed.generate());
                    PGPSignatureSubpacketGenerator backUnhashed = new PGPSignatureSubpacketGenerator();
                    backUnhashed.setIssuerKeyID(false, subkey.getKeyID());
                    back.setUnhashedSubpackets(backUnhashed.generate());
                    binding.addEmbeddedSignature(false,
                            back.generateCertification(primary.getPublicKey(), subkey.getPublicKey()));
                }
                rings.addSubKey(subkey, binding.generate(), null);
            }
            return new TestKey(primary, subkey, rings.generatePublicKeyRing());
        }

        String fingerprint() {
            return OpenPgp.fingerprint(primary.getPublicKey());
        }

        byte[] armoredPublicKey() throws Exception {
            return TrustStore.armor(publicKeys);
        }

        /** An armored signature of {@link #DATA} by {@code signer}, dated {@code created}. */
        byte[] sign(PGPKeyPair signer, Date created, Consumer<PGPSignatureSubpacketGenerator> extra) throws Exception {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                    PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), signer.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, signer.getPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, created);
            hashed.setIssuerFingerprint(false, signer.getPublicKey());
            extra.accept(hashed);
            generator.setHashedSubpackets(hashed.generate());
            generator.update(DATA);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(bytes)) {
                generator.generate().encode(armor);
            }
            return bytes.toByteArray();
        }
    }
}
