package io.spew.impl.trust;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * The local signing key of {@code <data>/keys/}, made and trusted on first use, so that builds are
 * signed with zero setup; or another unprotected secret key given with {@code --key}.
 *
 * <p>The key made is RSA 3072 (GnuPG 2.2's own default): every OpenPGP implementation handles it,
 * where the v4 "EdDSA legacy" Ed25519 keys that GnuPG 2.2 knows are deprecated by RFC 9580. Its
 * cost, one key generation of about a second, is paid once. No passphrase, since nobody is there
 * to type it (the keys directory is root-only, 0700), and no expiry.
 */
public final class LocalSigningKey {
    static final String FILE_NAME = "local-signing-key.asc";
    private static final Object LOCK = new Object();
    private static final int BUFFER = 256 * 1024;

    private final PGPSecretKeyRing secretKeys;
    private final PGPPublicKey signingKey;
    private final PGPPrivateKey privateKey;

    private LocalSigningKey(PGPSecretKeyRing secretKeys, PGPSecretKey signingKey, PGPPrivateKey privateKey) {
        this.secretKeys = secretKeys;
        this.signingKey = signingKey.getPublicKey();
        this.privateKey = privateKey;
    }

    /**
     * The local signing key of {@code keysDirectory}, made if missing (secret key file 0600, written
     * crash-safe), and its public key added to {@code trust} if it is not there.
     */
    public static LocalSigningKey ensure(Path keysDirectory, TrustStore trust, String userId) {
        requireNonNull(keysDirectory, "keysDirectory is null");
        requireNonNull(trust, "trust is null");
        requireNonNull(userId, "userId is null");
        Path file = keysDirectory.resolve(FILE_NAME);
        synchronized (LOCK) {
            try {
                Files.createDirectories(keysDirectory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                // another process (the daemon, a command) may be making it too
                try (FileChannel lockFile = FileChannel.open(keysDirectory.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = lockFile.lock()) {
                    LocalSigningKey key;
                    if (Files.exists(file)) {
                        key = load(file);
                    } else {
                        key = generate(userId);
                        AtomicFiles.write(file, key.armoredSecretKey());
                    }
                    if (!trust.contains(key.fingerprint())) {
                        trust.add(key.publicKey());
                    }
                    return key;
                }
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot make the local signing key in " + keysDirectory
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * An unprotected secret key (armored or binary), for {@code --key FILE}: its primary key signs if
     * it may, else its first signing subkey with a secret part.
     *
     * @throws SpewException {@code INVALID_KEY} if it is not such a key, or is protected by a passphrase
     */
    public static LocalSigningKey load(Path secretKeyFile) {
        requireNonNull(secretKeyFile, "secretKeyFile is null");
        byte[] content;
        try {
            content = Files.readAllBytes(secretKeyFile);
        } catch (NoSuchFileException e) {
            throw new SpewException(ErrorCode.INVALID_KEY, "no key file " + secretKeyFile);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + secretKeyFile + ": " + e.getMessage(), e);
        }
        return fromSecretKeyRing(parseSecretKeyRing(content, secretKeyFile), secretKeyFile);
    }

    /** The fingerprint of the primary key: the one to trust. */
    public String fingerprint() {
        return OpenPgp.fingerprint(secretKeys.getPublicKey());
    }

    /** The public key, armored, as {@code spew trust add} takes it. */
    public byte[] publicKey() {
        try {
            return TrustStore.armor(secretKeys.toCertificate());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a public key in memory", e);
        }
    }

    /** An armored detached signature (SHA-256, binary document) of the stream, read to its end. */
    public byte[] signDetached(InputStream data) throws IOException {
        requireNonNull(data, "data is null");
        try {
            // the JDK's providers, not Bouncy Castle's: see OpenPgp.VERIFIERS
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(signingKey.getAlgorithm(), HashAlgorithmTags.SHA256), signingKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, signingKey);
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, signingKey.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            byte[] buffer = new byte[BUFFER];
            for (int n = data.read(buffer); n >= 0; n = data.read(buffer)) {
                generator.update(buffer, 0, n);
            }
            PGPSignature signature = generator.generate();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
                signature.encode(armor);
            }
            return bytes.toByteArray();
        } catch (PGPException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot sign with key " + fingerprint() + ": "
                    + e.getMessage(), e);
        }
    }

    private byte[] armoredSecretKey() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
            secretKeys.encode(armor);
        }
        return bytes.toByteArray();
    }

    static LocalSigningKey generate(String userId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair pair = generator.generateKeyPair();
            // OpenPGP keeps seconds; a key dated to the millisecond would not match its own encoding
            Date created = new Date(System.currentTimeMillis() / 1000 * 1000);
            JcaPGPKeyPair key = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    pair, created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512,
                    HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
            hashed.setPreferredSymmetricAlgorithms(false, new int[] {SymmetricKeyAlgorithmTags.AES_256,
                    SymmetricKeyAlgorithmTags.AES_128});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            hashed.setPrimaryUserID(false, true);
            hashed.setIssuerFingerprint(false, key.getPublicKey());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, key, userId,
                    new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1),
                    hashed.generate(), null,
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            PGPSecretKeyRing secretKeys = rings.generateSecretKeyRing();
            return new LocalSigningKey(secretKeys, secretKeys.getSecretKey(), key.getPrivateKey());
        } catch (GeneralSecurityException | PGPException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot make a signing key: " + e.getMessage(), e);
        }
    }

    private static PGPSecretKeyRing parseSecretKeyRing(byte[] content, Path file) {
        try {
            OpenPgpData data = OpenPgpData.read(content);
            if (data.packets() == null) {
                throw new SpewException(ErrorCode.INVALID_KEY, file + " is a clearsigned text, not a secret key");
            }
            BCPGInputStream packets = new BCPGInputStream(new ByteArrayInputStream(data.packets()));
            int tag = packets.skipMarkerAndPaddingPackets();
            if (tag != PacketTags.SECRET_KEY) {
                throw new SpewException(ErrorCode.INVALID_KEY, file + " is not a secret key: it holds "
                        + OpenPgp.describePacket(tag) + (tag == PacketTags.PUBLIC_KEY
                                ? " (export the secret key with gpg --export-secret-keys)" : ""));
            }
            return new PGPSecretKeyRing(packets, OpenPgp.FINGERPRINTS);
        } catch (OpenPgpData.Unreadable e) {
            throw new SpewException(ErrorCode.INVALID_KEY, file + " " + e.getMessage() + ": it is not an OpenPGP key");
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof SpewException spew) {
                throw spew;
            }
            throw new SpewException(ErrorCode.INVALID_KEY, file + " is not a valid OpenPGP secret key ("
                    + e.getMessage() + ")", e);
        }
    }

    private static LocalSigningKey fromSecretKeyRing(PGPSecretKeyRing secretKeys, Path file) {
        Instant now = Instant.now();
        ValidatedKeyRing ring = ValidatedKeyRing.of(secretKeys.toCertificate(), now);
        ValidatedKeyRing.KeyState primary = ring.primary();
        if (primary.revocation() != null || primary.expiredAt(now)) {
            throw new SpewException(ErrorCode.INVALID_KEY, "key " + ring.fingerprint() + " of " + file
                    + (primary.revocation() != null
                            ? " was revoked on " + primary.revocation().at() : " expired on " + primary.expires())
                    + ": its signatures would be refused");
        }
        boolean protectedKey = false;
        for (Iterator<PGPSecretKey> keys = secretKeys.getSecretKeys(); keys.hasNext(); ) {
            PGPSecretKey candidate = keys.next();
            boolean maySign = ring.key(candidate.getFingerprint(), candidate.getKeyID())
                    .filter(key -> key.revocation() == null && !key.expiredAt(now))
                    .map(ValidatedKeyRing.KeyState::maySignData).orElse(false);
            if (!maySign || candidate.isPrivateKeyEmpty()) {
                continue;
            }
            if (candidate.getS2KUsage() != SecretKeyPacket.USAGE_NONE
                    || candidate.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL) {
                protectedKey = true;
                continue;
            }
            try {
                return new LocalSigningKey(secretKeys, candidate, candidate.extractPrivateKey(null));
            } catch (PGPException e) {
                throw new SpewException(ErrorCode.INVALID_KEY, "cannot read the secret key "
                        + OpenPgp.hex(candidate.getFingerprint()) + " of " + file + ": " + e.getMessage(), e);
            }
        }
        throw new SpewException(ErrorCode.INVALID_KEY, protectedKey
                ? file + " is protected by a passphrase, which Spew cannot ask for: give a copy without one"
                        + " (remove it with gpg --passwd in a scratch GNUPGHOME, then gpg --export-secret-keys)"
                : file + " holds no secret key that may sign");
    }

}
