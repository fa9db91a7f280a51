package io.spew.trust;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An OpenPGP public key that Spew trusts to sign builds.
 *
 * @param fingerprint the primary key's fingerprint (40 upper-case hex digits)
 * @param userId its primary user id
 * @param algorithm its algorithm and size ("RSA 3072", "EdDSA")
 * @param created when it was made
 * @param expires when it expires, or null
 * @param subkeys the fingerprints of its subkeys
 */
public record TrustedKey(String fingerprint, String userId, String algorithm, Instant created, Instant expires,
        List<String> subkeys) {
    public TrustedKey {
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(created, "created is null");
        if (!fingerprint.matches("[0-9A-F]{40}")) {
            throw new IllegalArgumentException("not a fingerprint of 40 upper-case hex digits: " + fingerprint);
        }
        subkeys = List.copyOf(subkeys == null ? List.of() : subkeys);
    }
}
