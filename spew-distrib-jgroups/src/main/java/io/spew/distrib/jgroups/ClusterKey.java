package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's shared secret. Every key the transport uses is derived from it with HKDF-SHA256
 * (RFC 5869) under its own label, so the secret itself never touches the wire or a cipher.
 */
final class ClusterKey {
    /** The shortest secret accepted: 128 bits. */
    static final int MINIMUM_BYTES = 16;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] SALT = "spew cluster key".getBytes(StandardCharsets.UTF_8);

    private final byte[] secret;

    private ClusterKey(byte[] secret) {
        if (secret.length < MINIMUM_BYTES) {
            throw new SpewException(ErrorCode.INVALID_KEY, "the cluster key has " + secret.length
                    + " bytes, it needs at least " + MINIMUM_BYTES + ": make one with 'spew cluster init'");
        }
        this.secret = secret.clone();
    }

    /** A key from its base64 text; {@code setting} names where it came from in the error. */
    static ClusterKey parse(String base64, String setting) {
        requireNonNull(base64, "base64 is null");
        try {
            return new ClusterKey(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_KEY,
                    "the cluster key in '" + setting + "' is not base64: " + e.getMessage());
        }
    }

    static ClusterKey of(byte[] secret) {
        return new ClusterKey(requireNonNull(secret, "secret is null"));
    }

    /** A 256-bit AES key for {@code label}, the same on every host that holds this cluster key. */
    SecretKey derive(String label) {
        try {
            Mac extract = Mac.getInstance(HMAC);
            extract.init(new SecretKeySpec(SALT, HMAC));
            byte[] pseudoRandomKey = extract.doFinal(secret);
            Mac expand = Mac.getInstance(HMAC);
            expand.init(new SecretKeySpec(pseudoRandomKey, HMAC));
            expand.update(label.getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            byte[] okm = expand.doFinal();
            Arrays.fill(pseudoRandomKey, (byte) 0);
            return new SecretKeySpec(okm, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterKey key && java.security.MessageDigest.isEqual(secret, key.secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "ClusterKey[" + secret.length + " bytes]";
    }
}
