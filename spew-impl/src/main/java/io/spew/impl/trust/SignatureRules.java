package io.spew.impl.trust;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.time.Instant;
import java.util.Set;
import org.bouncycastle.bcpg.SignatureSubpacket;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * What a signature of a build must be, whoever made it: a version 4 signature of a binary document,
 * over SHA-256 or stronger, dated, not in the future, not expired, without critical subpackets Spew
 * does not understand. Each rule broken is an {@code INVALID_SIGNATURE} naming it.
 */
final class SignatureRules {
    /** Critical subpackets whose meaning Spew applies (or that restrict nothing for a data signature). */
    private static final Set<Integer> UNDERSTOOD = Set.of(SignatureSubpacketTags.CREATION_TIME,
            SignatureSubpacketTags.EXPIRE_TIME, SignatureSubpacketTags.ISSUER_KEY_ID,
            SignatureSubpacketTags.ISSUER_FINGERPRINT, SignatureSubpacketTags.SIGNER_USER_ID,
            SignatureSubpacketTags.EXPORTABLE, SignatureSubpacketTags.REVOCABLE);

    private SignatureRules() {}

    static void check(PGPSignature signature, String what, Instant now) {
        if (signature.getVersion() != 4) {
            throw refused(what, "is a version " + signature.getVersion()
                    + " signature; Spew verifies version 4 signatures (as gpg makes)");
        }
        if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            throw refused(what, "is a " + OpenPgp.signatureTypeName(signature.getSignatureType())
                    + " signature (type " + String.format("0x%02X", signature.getSignatureType())
                    + "), not a signature of a binary document (type 0x00)"
                    + (signature.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT
                            ? ": sign without --textmode" : ""));
        }
        if (!OpenPgp.STRONG_HASHES.contains(signature.getHashAlgorithm())) {
            throw refused(what, "uses " + OpenPgp.hashName(signature.getHashAlgorithm())
                    + ", which is too weak: Spew accepts SHA-256 or stronger"
                    + " (sign again with gpg --digest-algo SHA256)");
        }
        PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
        if (hashed == null || hashed.getSignatureCreationTime() == null) {
            throw refused(what, "has no creation time");
        }
        for (SignatureSubpacket subpacket : hashed.toArray()) {
            if (subpacket.isCritical() && !UNDERSTOOD.contains(subpacket.getType())) {
                throw refused(what, "has a critical subpacket of type " + subpacket.getType()
                        + " that Spew does not understand");
            }
        }
        Instant created = OpenPgp.instant(hashed.getSignatureCreationTime());
        if (created.isAfter(now.plus(ValidatedKeyRing.CLOCK_SKEW))) {
            throw refused(what, "is dated " + created + ", in the future: check the clocks");
        }
        long validSeconds = hashed.getSignatureExpirationTime();
        if (validSeconds > 0 && !now.isBefore(created.plusSeconds(validSeconds))) {
            throw refused(what, "expired on " + created.plusSeconds(validSeconds));
        }
    }

    static SpewException refused(String what, String problem) {
        return new SpewException(ErrorCode.INVALID_SIGNATURE, "the signature of " + what + " " + problem);
    }
}
