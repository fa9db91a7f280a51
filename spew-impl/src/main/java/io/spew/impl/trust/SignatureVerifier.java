package io.spew.impl.trust;

import io.spew.build.BuildSigner;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Checks a detached OpenPGP signature against the trust store, with Bouncy Castle over the JDK's
 * digests (at the speed of SHA-256).
 *
 * <p>Everything but the bytes is checked in {@link #begin}, before the data is read: the signature
 * file must be nothing but signatures ({@link SignatureFile}), each a version 4 signature of a
 * binary document over SHA-256 or stronger ({@link SignatureRules}); at least one must be by a
 * trusted key or a properly bound signing subkey of one, valid and not revoked when it signed and
 * now. Signatures by keys that are not trusted are ignored; every signature by a trusted key must
 * verify.
 *
 * <p>Errors: {@code INVALID_SIGNATURE} when the signature itself is wrong (not a signature, weak
 * hash, wrong type, dated before its key, bytes that do not match); {@code UNTRUSTED_SIGNER} when
 * its key is not, or no longer, one to trust (unknown, revoked, expired, a subkey not bound or not
 * allowed to sign).
 */
public final class SignatureVerifier {
    private static final System.Logger LOG = System.getLogger(SignatureVerifier.class.getName());

    private final TrustStore trust;

    public SignatureVerifier(TrustStore trust) {
        this.trust = requireNonNull(trust, "trust is null");
    }

    /**
     * Starts checking a detached signature file BEFORE the data is read, so that a bad or untrusted
     * signature is refused before any extraction.
     *
     * @param what the signed file as the user knows it, for messages
     */
    public Verification begin(byte[] signatureFile, String what) {
        requireNonNull(signatureFile, "signatureFile is null");
        requireNonNull(what, "what is null");
        Instant now = trust.clock().instant();
        List<PGPSignature> signatures = SignatureFile.parse(signatureFile, what);
        for (PGPSignature signature : signatures) {
            SignatureRules.check(signature, what, now);
        }
        List<ValidatedKeyRing> trusted = trust.validatedKeyRings(now);
        List<Expected> expected = new ArrayList<>();
        Set<String> untrusted = new LinkedHashSet<>();
        for (PGPSignature signature : signatures) {
            Issuer issuer = Issuer.of(signature, what);
            Optional<ValidatedKeyRing> ring = trusted.stream()
                    .filter(candidate -> candidate.holds(issuer.fingerprint(), issuer.keyId()))
                    .findFirst();
            if (ring.isEmpty()) {
                untrusted.add(issuer.toString());
                continue;
            }
            ValidatedKeyRing.KeyState key = SignerRules.check(signature, ring.get(), issuer, what, now);
            try {
                signature.init(OpenPgp.VERIFIERS, key.key());
            } catch (PGPException | RuntimeException e) {
                throw SignatureRules.refused(what, "cannot be checked with key " + key.fingerprint() + " ("
                        + e.getMessage() + ")");
            }
            expected.add(new Expected(signature, new BuildSigner(ring.get().fingerprint(), key.fingerprint(),
                    ring.get().userId(), OpenPgp.instant(signature.getCreationTime()))));
        }
        if (expected.isEmpty()) {
            throw new SpewException(ErrorCode.UNTRUSTED_SIGNER, "the signature of " + what + " is by "
                    + String.join(", ", untrusted) + ", which is not trusted: if you trust it, add its public key"
                    + " with spew trust add KEYFILE");
        }
        return new PendingVerification(what, expected);
    }

    /** A signature check under way: the bytes, then {@link #finish}. Not thread-safe. */
    public interface Verification {
        /** The exact bytes of the signed file, in order, as they are read. */
        void update(byte[] buffer, int offset, int length);

        /**
         * The signer, once all the bytes were given.
         *
         * @throws SpewException {@code INVALID_SIGNATURE} if the bytes are not those signed
         */
        BuildSigner finish();
    }

    private record Expected(PGPSignature signature, BuildSigner signer) {}

    /** The issuer a signature names: a fingerprint (hashed or not), else a key id. */
    record Issuer(byte[] fingerprint, long keyId) {
        static Issuer of(PGPSignature signature, String what) {
            for (PGPSignatureSubpacketVector vector : new PGPSignatureSubpacketVector[] {
                    signature.getHashedSubPackets(), signature.getUnhashedSubPackets()}) {
                IssuerFingerprint issuer = vector == null ? null : vector.getIssuerFingerprint();
                if (issuer != null && issuer.getKeyVersion() == 4 && issuer.getFingerprint().length == 20) {
                    return new Issuer(issuer.getFingerprint(), issuer.getKeyID());
                }
            }
            if (signature.getKeyID() == 0) {
                throw SignatureRules.refused(what, "names no key that made it");
            }
            return new Issuer(null, signature.getKeyID());
        }

        @Override
        public String toString() {
            return fingerprint != null ? "key " + OpenPgp.hex(fingerprint) : "key id " + OpenPgp.keyId(keyId);
        }
    }

    private static final class PendingVerification implements Verification {
        private final String what;
        private final List<Expected> expected;
        private boolean finished;

        PendingVerification(String what, List<Expected> expected) {
            this.what = what;
            this.expected = List.copyOf(expected);
        }

        @Override
        public void update(byte[] buffer, int offset, int length) {
            if (finished) {
                throw new IllegalStateException("the verification of " + what + " is finished");
            }
            for (Expected each : expected) {
                each.signature().update(buffer, offset, length);
            }
        }

        @Override
        public BuildSigner finish() {
            if (finished) {
                throw new IllegalStateException("the verification of " + what + " is finished");
            }
            finished = true;
            for (Expected each : expected) {
                boolean valid;
                try {
                    valid = each.signature().verify();
                } catch (PGPException | RuntimeException e) {
                    valid = false;
                }
                if (!valid) {
                    BuildSigner signer = each.signer();
                    throw new SpewException(ErrorCode.INVALID_SIGNATURE, what + " does not match its signature by key "
                            + signer.signingKeyFingerprint() + " (" + signer.userId() + "): it was changed after it"
                            + " was signed, or the signature is of another file");
                }
            }
            BuildSigner signer = expected.get(0).signer();
            LOG.log(System.Logger.Level.DEBUG, "{0}: good signature by {1} ({2}) made {3}", what,
                    signer.signingKeyFingerprint(), signer.userId(), signer.signedAt());
            return signer;
        }
    }
}
