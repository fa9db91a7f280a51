package io.spew.cli;

import io.spew.build.Build;

/** How builds read on a terminal. */
final class BuildText {
    private BuildText() {}

    static String signer(Build build) {
        if (build.unsigned()) {
            return "UNSIGNED (--allow-unsigned)";
        }
        String fingerprint = build.signer().fingerprint();
        return fingerprint.substring(Math.max(0, fingerprint.length() - 16)) + " " + build.signer().userId();
    }
}
