package io.spew.impl.trust;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.time.Instant;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * Whether the trusted key a signature names may have made it: the primary key itself, or a subkey
 * properly bound to it that may sign; both valid and not revoked when the signature was made and
 * now. Refusals are {@code UNTRUSTED_SIGNER}, except a signature dated before its key existed
 * ({@code INVALID_SIGNATURE}).
 */
final class SignerRules {
    private SignerRules() {}

    /** The key that made the signature, once it is allowed to. */
    static ValidatedKeyRing.KeyState check(PGPSignature signature, ValidatedKeyRing ring,
            SignatureVerifier.Issuer issuer, String what, Instant now) {
        String owner = "trusted key " + ring.fingerprint() + " (" + ring.userId() + ")";
        ValidatedKeyRing.KeyState key = ring.key(issuer.fingerprint(), issuer.keyId())
                .orElseThrow(() -> untrusted(what, "is by " + issuer + ", a subkey of " + owner
                        + " that it does not properly bind (no valid binding signature)"));
        Instant signedAt = OpenPgp.instant(signature.getCreationTime());
        checkValid(ring.primary(), owner, signedAt, now, what);
        boolean isPrimary = key == ring.primary();
        if (!isPrimary) {
            checkValid(key, "subkey " + key.fingerprint() + " of " + owner, signedAt, now, what);
        }
        if (!key.maySignData()) {
            throw untrusted(what, "is by " + (isPrimary ? owner + ", whose key flags do not allow signing data"
                    : "subkey " + key.fingerprint() + " of " + owner + ", which is not a signing subkey"
                            + " (it needs the sign flag and a back-signature by the subkey)"));
        }
        if (signature.getKeyAlgorithm() != key.key().getAlgorithm()) {
            throw SignatureRules.refused(what, "claims key algorithm " + signature.getKeyAlgorithm()
                    + " but key " + key.fingerprint() + " uses " + key.key().getAlgorithm());
        }
        return key;
    }

    private static void checkValid(ValidatedKeyRing.KeyState key, String name, Instant signedAt, Instant now,
            String what) {
        if (key.revocation() != null) {
            throw untrusted(what, "is by " + name + ", which was revoked on " + key.revocation().at() + " ("
                    + key.revocation().reason() + ")");
        }
        if (signedAt.isBefore(key.created())) {
            throw SignatureRules.refused(what, "is dated " + signedAt + ", before " + name + " was made ("
                    + key.created() + ")");
        }
        if (key.expiredAt(signedAt)) {
            throw untrusted(what, "was made on " + signedAt + " by " + name + ", which had expired on "
                    + key.expires());
        }
        if (key.expiredAt(now)) {
            throw untrusted(what, "is by " + name + ", which expired on " + key.expires()
                    + ": get a copy of the key with a later expiry and spew trust add it, or sign again");
        }
    }

    private static SpewException untrusted(String what, String problem) {
        return new SpewException(ErrorCode.UNTRUSTED_SIGNER, "the signature of " + what + " " + problem);
    }
}
