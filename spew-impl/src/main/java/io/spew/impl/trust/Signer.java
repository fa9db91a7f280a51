package io.spew.impl.trust;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The signer of a verified build.
 *
 * @param fingerprint the fingerprint of the trusted primary key
 * @param signingKeyFingerprint the fingerprint of the key that made the signature: the primary key
 *     itself or one of its signing subkeys
 * @param userId the primary user id of the trusted key
 * @param signedAt when the signature was made, as it says
 */
public record Signer(String fingerprint, String signingKeyFingerprint, String userId, Instant signedAt) {
    public Signer {
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(signingKeyFingerprint, "signingKeyFingerprint is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(signedAt, "signedAt is null");
    }
}
