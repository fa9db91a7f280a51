package io.spew.impl.trust;

import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.bcpg.ECPublicBCPGKey;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.KeyFingerPrintCalculator;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/** What the classes of this package share about OpenPGP: operators, names, formats. */
final class OpenPgp {
    static final KeyFingerPrintCalculator FINGERPRINTS = new JcaKeyFingerprintCalculator();

    /**
     * Deliberately without {@code setProvider("BC")}: digests and signatures come from the JDK's
     * providers, whose SHA-256 uses the CPU's instructions; Bouncy Castle's own digests are several
     * times slower. Bouncy Castle is not registered as a JCA provider at all.
     */
    static final PGPContentVerifierBuilderProvider VERIFIERS = new JcaPGPContentVerifierBuilderProvider();

    /** Hashes accepted for the signature of a build: SHA-256 or stronger. */
    static final Set<Integer> STRONG_HASHES = Set.of(HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384,
            HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private OpenPgp() {}

    static String fingerprint(PGPPublicKey key) {
        return HEX.formatHex(key.getFingerprint());
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static String keyId(long keyId) {
        return String.format("%016X", keyId);
    }

    static Instant instant(Date date) {
        return date.toInstant();
    }

    /** A fingerprint as a user may type it: spaces allowed, any case; null if it is not a full v4 one. */
    static String normalizeFingerprint(String text) {
        String compact = text.replace(" ", "").toUpperCase(Locale.ROOT);
        return compact.matches("[0-9A-F]{40}") ? compact : null;
    }

    static String hashName(int algorithm) {
        return switch (algorithm) {
            case HashAlgorithmTags.MD5 -> "MD5";
            case HashAlgorithmTags.SHA1 -> "SHA-1";
            case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
            case HashAlgorithmTags.SHA224 -> "SHA-224";
            case HashAlgorithmTags.SHA256 -> "SHA-256";
            case HashAlgorithmTags.SHA384 -> "SHA-384";
            case HashAlgorithmTags.SHA512 -> "SHA-512";
            case HashAlgorithmTags.SHA3_256 -> "SHA3-256";
            case HashAlgorithmTags.SHA3_512 -> "SHA3-512";
            default -> "hash algorithm " + algorithm;
        };
    }

    /** "RSA 3072", "Ed25519", "ECDSA P-256", "DSA 2048". */
    @SuppressWarnings("deprecation") // RSA_SIGN and RSA_ENCRYPT: deprecated for new keys, still met in old ones
    static String algorithm(PGPPublicKey key) {
        int bits = key.getBitStrength();
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN,
                    PublicKeyAlgorithmTags.RSA_ENCRYPT -> "RSA " + bits;
            case PublicKeyAlgorithmTags.DSA -> "DSA " + bits;
            case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL -> "ElGamal " + bits;
            case PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
            case PublicKeyAlgorithmTags.Ed448 -> "Ed448";
            case PublicKeyAlgorithmTags.X25519 -> "X25519";
            case PublicKeyAlgorithmTags.X448 -> "X448";
            case PublicKeyAlgorithmTags.ECDSA -> "ECDSA " + curve(key);
            case PublicKeyAlgorithmTags.ECDH -> "ECDH " + curve(key);
            default -> "algorithm " + key.getAlgorithm();
        };
    }

    private static String curve(PGPPublicKey key) {
        if (key.getPublicKeyPacket().getKey() instanceof ECPublicBCPGKey ec) {
            String name = PGPUtil.getCurveName(ec.getCurveOID());
            return name != null ? name : ec.getCurveOID().getId();
        }
        return "";
    }

    /** What an OpenPGP packet is, for messages: "a public key", "a compressed message"... */
    static String describePacket(int tag) {
        return switch (tag) {
            case -1 -> "nothing";
            case PacketTags.SIGNATURE -> "a signature";
            case PacketTags.ONE_PASS_SIGNATURE -> "a signed message (one-pass signature packet)";
            case PacketTags.COMPRESSED_DATA -> "a compressed message";
            case PacketTags.LITERAL_DATA -> "a literal data packet";
            case PacketTags.PUBLIC_KEY -> "a public key";
            case PacketTags.PUBLIC_SUBKEY -> "a public subkey";
            case PacketTags.SECRET_KEY -> "a secret key";
            case PacketTags.SECRET_SUBKEY -> "a secret subkey";
            case PacketTags.USER_ID -> "a user id";
            case PacketTags.PUBLIC_KEY_ENC_SESSION, PacketTags.SYMMETRIC_KEY_ENC_SESSION,
                    PacketTags.SYMMETRIC_KEY_ENC, PacketTags.SYM_ENC_INTEGRITY_PRO -> "an encrypted message";
            case PacketTags.MARKER -> "a marker packet";
            default -> "an OpenPGP packet of type " + tag;
        };
    }

    static String signatureTypeName(int type) {
        return switch (type) {
            case PGPSignature.BINARY_DOCUMENT -> "binary document";
            case PGPSignature.CANONICAL_TEXT_DOCUMENT -> "text document";
            case PGPSignature.STAND_ALONE -> "standalone";
            case PGPSignature.DEFAULT_CERTIFICATION, PGPSignature.NO_CERTIFICATION,
                    PGPSignature.CASUAL_CERTIFICATION, PGPSignature.POSITIVE_CERTIFICATION -> "user id certification";
            case PGPSignature.SUBKEY_BINDING -> "subkey binding";
            case PGPSignature.PRIMARYKEY_BINDING -> "primary key binding";
            case PGPSignature.DIRECT_KEY -> "direct key";
            case PGPSignature.KEY_REVOCATION -> "key revocation";
            case PGPSignature.SUBKEY_REVOCATION -> "subkey revocation";
            case PGPSignature.CERTIFICATION_REVOCATION -> "certification revocation";
            case PGPSignature.TIMESTAMP -> "timestamp";
            case PGPSignature.THIRD_PARTY_CONFIRMATION -> "third-party confirmation";
            default -> "unknown";
        };
    }
}
