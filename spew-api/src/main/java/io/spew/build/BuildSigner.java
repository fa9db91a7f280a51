package io.spew.build;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Who signed a build.
 *
 * @param fingerprint the trusted primary key's fingerprint
 * @param signingKeyFingerprint the key that made the signature: the primary or one of its signing subkeys
 * @param userId the primary user id of the key
 * @param signedAt when the signature was made
 */
public record BuildSigner(String fingerprint, String signingKeyFingerprint, String userId, Instant signedAt) {
    public BuildSigner {
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(signingKeyFingerprint, "signingKeyFingerprint is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(signedAt, "signedAt is null");
    }
}
