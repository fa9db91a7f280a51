package io.spew.impl.trust;

import io.spew.trust.TrustedKey;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * A public key ring as its own signatures make it, each of them checked ({@link SelfSignatures}):
 * which user ids the primary key certified, when the primary key and each subkey expire (key
 * creation + the key expiration time of the latest self-signature or binding), which are revoked,
 * and which subkeys may sign (bound by the primary key, with the sign flag and the subkey's
 * back-signature).
 */
final class ValidatedKeyRing {
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final int[] CERTIFICATIONS = {PGPSignature.DEFAULT_CERTIFICATION, PGPSignature.NO_CERTIFICATION,
            PGPSignature.CASUAL_CERTIFICATION, PGPSignature.POSITIVE_CERTIFICATION};

    /** A revocation by the primary key. */
    record Revocation(Instant at, String reason) {}

    /**
     * The state of one key of the ring.
     *
     * @param expires null when it does not expire
     * @param revocation null when it is not revoked
     * @param flags the key flags of the latest self-signature or binding, -1 when it has none
     * @param maySignData the sign flag (or, on a primary key without flags, an algorithm that signs),
     *     and on a subkey a valid back-signature
     */
    record KeyState(PGPPublicKey key, Instant created, Instant expires, Revocation revocation, int flags,
            boolean maySignData) {
        String fingerprint() {
            return OpenPgp.fingerprint(key);
        }

        boolean expiredAt(Instant time) {
            return expires != null && !time.isBefore(expires);
        }
    }

    private final PGPPublicKeyRing ring;
    private final KeyState primary;
    private final String userId;
    private final List<KeyState> subkeys;

    private ValidatedKeyRing(PGPPublicKeyRing ring, KeyState primary, String userId, List<KeyState> subkeys) {
        this.ring = ring;
        this.primary = primary;
        this.userId = userId;
        this.subkeys = List.copyOf(subkeys);
    }

    static ValidatedKeyRing of(PGPPublicKeyRing ring, Instant now) {
        requireNonNull(ring, "ring is null");
        SelfSignatures checked = new SelfSignatures(now);
        PGPPublicKey primaryKey = ring.getPublicKey();
        List<PGPSignature> selfSignatures = new ArrayList<>();
        String userId = certifiedUserId(primaryKey, checked, selfSignatures);
        selfSignatures.addAll(checked.verified(primaryKey.getSignatures(), primaryKey,
                signature -> signature.verifyCertification(primaryKey), PGPSignature.DIRECT_KEY));
        PGPSignature latest = SelfSignatures.latest(selfSignatures);
        int flags = SelfSignatures.flags(latest);
        boolean maySign = flags == -1 ? signsByAlgorithm(primaryKey) : (flags & KeyFlags.SIGN_DATA) != 0;
        KeyState primary = new KeyState(primaryKey, OpenPgp.instant(primaryKey.getCreationTime()),
                SelfSignatures.expiry(primaryKey, latest),
                SelfSignatures.revocation(checked.verified(primaryKey.getSignatures(), primaryKey,
                        signature -> signature.verifyCertification(primaryKey), PGPSignature.KEY_REVOCATION)),
                flags, maySign);
        List<KeyState> subkeys = new ArrayList<>();
        for (PGPPublicKey key : ring) {
            if (!key.isMasterKey()) {
                boundSubkey(primaryKey, key, checked).ifPresent(subkeys::add);
            }
        }
        return new ValidatedKeyRing(ring, primary, userId, subkeys);
    }

    PGPPublicKeyRing ring() {
        return ring;
    }

    KeyState primary() {
        return primary;
    }

    String fingerprint() {
        return primary.fingerprint();
    }

    /** The primary user id, or null when no user id is certified by the primary key. */
    String userId() {
        return userId;
    }

    /** The properly bound subkeys. */
    List<KeyState> subkeys() {
        return subkeys;
    }

    /** The primary key or bound subkey with this fingerprint, or with this key id when no fingerprint is given. */
    Optional<KeyState> key(byte[] fingerprint, long keyId) {
        List<KeyState> all = new ArrayList<>();
        all.add(primary);
        all.addAll(subkeys);
        return all.stream().filter(state -> matches(state.key(), fingerprint, keyId)).findFirst();
    }

    /** Whether the ring holds a key with this fingerprint or key id, bound or not. */
    boolean holds(byte[] fingerprint, long keyId) {
        for (PGPPublicKey key : ring) {
            if (matches(key, fingerprint, keyId)) {
                return true;
            }
        }
        return false;
    }

    TrustedKey toTrustedKey() {
        return new TrustedKey(fingerprint(), userId == null ? "" : userId, OpenPgp.algorithm(primary.key()),
                primary.created(), primary.expires(), subkeys.stream().map(KeyState::fingerprint).toList());
    }

    private static boolean matches(PGPPublicKey key, byte[] fingerprint, long keyId) {
        return fingerprint != null ? key.hasFingerprint(fingerprint) : key.getKeyID() == keyId;
    }

    /**
     * The primary user id among those whose latest certification by the primary key is not revoked:
     * the one whose certification says it is primary, else the first. Adds those certifications to
     * {@code selfSignatures}.
     */
    private static String certifiedUserId(PGPPublicKey primaryKey, SelfSignatures checked,
            List<PGPSignature> selfSignatures) {
        String first = null;
        String primaryUserId = null;
        PGPSignature primaryUserIdCertification = null;
        for (Iterator<byte[]> ids = primaryKey.getRawUserIDs(); ids.hasNext(); ) {
            byte[] rawId = ids.next();
            SelfSignatures.Check overId = signature -> signature.verifyCertification(rawId, primaryKey);
            PGPSignature certification = SelfSignatures.latest(
                    checked.verified(primaryKey.getSignaturesForID(rawId), primaryKey, overId, CERTIFICATIONS));
            PGPSignature revocation = SelfSignatures.latest(checked.verified(primaryKey.getSignaturesForID(rawId),
                    primaryKey, overId, PGPSignature.CERTIFICATION_REVOCATION));
            if (certification == null
                    || (revocation != null && !revocation.getCreationTime().before(certification.getCreationTime()))) {
                continue;
            }
            selfSignatures.add(certification);
            String id = new String(rawId, StandardCharsets.UTF_8);
            if (first == null) {
                first = id;
            }
            if (certification.getHashedSubPackets() != null && certification.getHashedSubPackets().isPrimaryUserID()
                    && (primaryUserIdCertification == null
                            || primaryUserIdCertification.getCreationTime().before(certification.getCreationTime()))) {
                primaryUserId = id;
                primaryUserIdCertification = certification;
            }
        }
        return primaryUserId != null ? primaryUserId : first;
    }

    private static Optional<KeyState> boundSubkey(PGPPublicKey primaryKey, PGPPublicKey subkey,
            SelfSignatures checked) {
        SelfSignatures.Check overSubkey = signature -> signature.verifyCertification(primaryKey, subkey);
        PGPSignature binding = SelfSignatures.latest(
                checked.verified(subkey.getSignatures(), primaryKey, overSubkey, PGPSignature.SUBKEY_BINDING));
        if (binding == null) {
            return Optional.empty();
        }
        int flags = SelfSignatures.flags(binding);
        boolean maySign = flags != -1 && (flags & KeyFlags.SIGN_DATA) != 0
                && checked.backSigned(binding, primaryKey, subkey);
        return Optional.of(new KeyState(subkey, OpenPgp.instant(subkey.getCreationTime()),
                SelfSignatures.expiry(subkey, binding),
                SelfSignatures.revocation(checked.verified(subkey.getSignatures(), primaryKey, overSubkey,
                        PGPSignature.SUBKEY_REVOCATION)),
                flags, maySign));
    }

    @SuppressWarnings("deprecation") // RSA_SIGN: deprecated for new keys, still met in old ones
    private static boolean signsByAlgorithm(PGPPublicKey key) {
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN, PublicKeyAlgorithmTags.DSA,
                    PublicKeyAlgorithmTags.ECDSA, PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519,
                    PublicKeyAlgorithmTags.Ed448 -> true;
            default -> false;
        };
    }
}
