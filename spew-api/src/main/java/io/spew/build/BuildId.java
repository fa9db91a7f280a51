package io.spew.build;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.regex.Pattern;

/** The identity of a build: the sha256 of its archive, shown as {@code sha256:<64 hex digits>}. */
public record BuildId(String sha256) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public BuildId {
        requireNonNull(sha256, "sha256 is null");
        if (!HEX.matcher(sha256).matches()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "not a build id: '" + sha256 + "'");
        }
    }

    /** Parses {@code sha256:<hex>} or the bare hex. */
    public static BuildId parse(String text) {
        return new BuildId(text.startsWith("sha256:") ? text.substring("sha256:".length()) : text);
    }

    @Override
    public String toString() {
        return "sha256:" + sha256;
    }
}
