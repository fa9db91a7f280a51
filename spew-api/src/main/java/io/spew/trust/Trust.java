package io.spew.trust;

import java.util.List;

/** Spew's own trust store: the keys whose signatures make a build importable. Never the user's ~/.gnupg. */
public interface Trust {
    /** Every trusted key, by fingerprint. */
    List<TrustedKey> list();

    /** Trusts a public key given as an OpenPGP key file (armored or binary); throws {@code INVALID_KEY}. */
    TrustedKey add(byte[] keyFile);

    /** Stops trusting a key; throws {@code KEY_NOT_FOUND}. */
    void remove(String fingerprint);
}
