package io.spew.impl.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.RevocationReason;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * The signatures of a key ring on itself, each checked: only those that could be by the expected
 * signer (the issuer they name, if any), not over MD5, not dated in the future, and that verify.
 */
final class SelfSignatures {
    /** How a signature is verified once initialized with its signer: over a user id, a subkey, the key itself. */
    interface Check {
        boolean verify(PGPSignature signature) throws PGPException;
    }

    private final Instant latestUsable;

    SelfSignatures(Instant now) {
        this.latestUsable = now.plus(ValidatedKeyRing.CLOCK_SKEW);
    }

    /** The signatures of {@code candidates} of one of these types made by {@code signer} that verify. */
    List<PGPSignature> verified(Iterator<PGPSignature> candidates, PGPPublicKey signer, Check check, int... types) {
        List<PGPSignature> verified = new ArrayList<>();
        if (candidates == null) {
            return verified;
        }
        while (candidates.hasNext()) {
            PGPSignature signature = candidates.next();
            if (isOfType(signature, types) && usable(signature, signer) && verifies(signature, signer, check)) {
                verified.add(signature);
            }
        }
        return verified;
    }

    /**
     * Whether a signing subkey agrees to belong to the primary key: its binding signature carries a
     * primary key binding signature (0x19) by the subkey that verifies.
     */
    boolean backSigned(PGPSignature binding, PGPPublicKey primaryKey, PGPPublicKey subkey) {
        for (PGPSignatureSubpacketVector vector : new PGPSignatureSubpacketVector[] {
                binding.getHashedSubPackets(), binding.getUnhashedSubPackets()}) {
            if (vector == null) {
                continue;
            }
            PGPSignatureList embedded;
            try {
                embedded = vector.getEmbeddedSignatures();
            } catch (PGPException | RuntimeException e) {
                continue;
            }
            List<PGPSignature> backSignatures = verified(embedded.iterator(), subkey,
                    signature -> signature.verifyCertification(primaryKey, subkey), PGPSignature.PRIMARYKEY_BINDING);
            if (!backSignatures.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static PGPSignature latest(List<PGPSignature> signatures) {
        PGPSignature latest = null;
        for (PGPSignature signature : signatures) {
            if (latest == null || latest.getCreationTime().before(signature.getCreationTime())) {
                latest = signature;
            }
        }
        return latest;
    }

    /** The first of verified revocation signatures, or null. */
    static ValidatedKeyRing.Revocation revocation(List<PGPSignature> revocations) {
        if (revocations.isEmpty()) {
            return null;
        }
        PGPSignature signature = revocations.get(0);
        RevocationReason reason = signature.getHashedSubPackets() == null
                ? null : signature.getHashedSubPackets().getRevocationReason();
        return new ValidatedKeyRing.Revocation(OpenPgp.instant(signature.getCreationTime()),
                reason == null || reason.getRevocationDescription().isBlank()
                        ? "no reason given" : reason.getRevocationDescription());
    }

    /** The key flags of a self-signature, or -1 when it has none. */
    static int flags(PGPSignature selfSignature) {
        PGPSignatureSubpacketVector hashed = selfSignature == null ? null : selfSignature.getHashedSubPackets();
        return hashed != null && hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS) ? hashed.getKeyFlags() : -1;
    }

    /** When a key expires: its creation + the key expiration time of its latest self-signature; null if never. */
    static Instant expiry(PGPPublicKey key, PGPSignature selfSignature) {
        if (selfSignature == null || selfSignature.getHashedSubPackets() == null) {
            return null;
        }
        long seconds = selfSignature.getHashedSubPackets().getKeyExpirationTime();
        return seconds <= 0 ? null : OpenPgp.instant(key.getCreationTime()).plusSeconds(seconds);
    }

    private static boolean isOfType(PGPSignature signature, int... types) {
        for (int type : types) {
            if (signature.getSignatureType() == type) {
                return true;
            }
        }
        return false;
    }

    private boolean usable(PGPSignature signature, PGPPublicKey signer) {
        if (signature.getHashAlgorithm() == HashAlgorithmTags.MD5
                || signature.getCreationTime().toInstant().isAfter(latestUsable)) {
            return false;
        }
        long issuer = signature.getKeyID();
        return issuer == 0 || issuer == signer.getKeyID();
    }

    private static boolean verifies(PGPSignature signature, PGPPublicKey signer, Check check) {
        try {
            signature.init(OpenPgp.VERIFIERS, signer);
            return check.verify(signature);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }
}
