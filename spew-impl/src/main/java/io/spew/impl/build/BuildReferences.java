package io.spew.impl.build;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.build.Build;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Resolves {@code sha256:…} (or 12+ hex digits of it), {@code name@version} and {@code name} (the newest). */
final class BuildReferences {
    private static final Pattern HEX = Pattern.compile("(sha256:)?[0-9a-f]{12,64}");

    private BuildReferences() {}

    static Build resolve(String ref, Collection<Build> builds) {
        if (HEX.matcher(ref).matches()) {
            String hex = ref.startsWith("sha256:") ? ref.substring("sha256:".length()) : ref;
            List<Build> matches = builds.stream().filter(build -> build.id().sha256().startsWith(hex)).toList();
            if (matches.size() > 1) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + ref + "' is the start of several build ids: give more of it");
            }
            if (matches.size() == 1) {
                return matches.get(0);
            }
        }
        int at = ref.lastIndexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        String version = at < 0 ? null : ref.substring(at + 1);
        return builds.stream()
                .filter(build -> build.name().equals(name) && (version == null || build.version().equals(version)))
                .max(Comparator.comparing(Build::importedAt))
                .orElseThrow(() -> new SpewException(ErrorCode.BUILD_NOT_FOUND, "no build '" + ref
                        + "': see 'spew build ls', or import one with 'spew build import FILE'"));
    }
}
