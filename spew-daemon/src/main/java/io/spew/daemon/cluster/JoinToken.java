package io.spew.daemon.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * What a host needs to join a cluster: the cluster key and the cluster addresses of members to ask.
 * Written {@code spew1.<payload>.<check>}: the payload is base64url (no padding) of the UTF-8 text
 * {@code key=<base64 key>\nseeds=<host:port>,...\n}, the check is base64url of the first 8 bytes of the
 * SHA-256 of that text, so a token cut or mistyped while copying is refused before anything is tried.
 * A token holds the secret: it is printed only by {@code spew cluster init} and {@code spew cluster token}.
 *
 * @param key the cluster key, base64
 * @param seeds {@code host:port} cluster addresses of members
 */
public record JoinToken(String key, List<String> seeds) {
    static final String PREFIX = "spew1.";
    private static final int CHECK_BYTES = 8;

    public JoinToken {
        requireNonNull(key, "key is null");
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a join token needs at least one seed");
        }
        seeds.forEach(seed -> ClusterAddress.parse(seed, "seed"));
        ClusterDirectory.requireKey(key, "the join token");
    }

    /** The token's text. */
    public String encode() {
        byte[] payload = ("key=" + key + "\nseeds=" + String.join(",", seeds) + "\n").getBytes(UTF_8);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return PREFIX + base64.encodeToString(payload) + "." + base64.encodeToString(check(payload));
    }

    /** Reads a token; a malformed one fails with INVALID_KEY (exit 2), naming what is wrong. */
    public static JoinToken parse(String text) {
        String token = requireNonNull(text, "text is null").strip();
        if (!token.startsWith(PREFIX)) {
            throw invalid("it does not start with '" + PREFIX + "'");
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            throw invalid("it has not the form spew1.PAYLOAD.CHECK");
        }
        byte[] payload;
        byte[] check;
        try {
            payload = Base64.getUrlDecoder().decode(parts[0]);
            check = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid("it is not base64url");
        }
        if (!MessageDigest.isEqual(check, check(payload))) {
            throw invalid("its check does not match (cut or mistyped?)");
        }
        String key = null;
        List<String> seeds = new ArrayList<>();
        for (String line : new String(payload, UTF_8).split("\n")) {
            if (line.startsWith("key=")) {
                key = line.substring(4);
            } else if (line.startsWith("seeds=")) {
                Arrays.stream(line.substring(6).split(",")).filter(seed -> !seed.isBlank()).forEach(seeds::add);
            }
        }
        if (key == null || seeds.isEmpty()) {
            throw invalid("it lacks the key or the seeds");
        }
        try {
            return new JoinToken(key, seeds);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static byte[] check(byte[] payload) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(payload), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static SpewException invalid(String why) {
        return new SpewException(ErrorCode.INVALID_KEY, "the join token is not valid: " + why
                + " (copy the last line of 'spew cluster init' or 'spew cluster token' again)");
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "JoinToken[seeds=" + seeds + "]";
    }
}
