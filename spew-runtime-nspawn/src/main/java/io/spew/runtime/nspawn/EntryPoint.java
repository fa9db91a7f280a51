package io.spew.runtime.nspawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry point a build declares: {@code run} in {@code .spew/build.json}, else {@code RUN} in
 * {@code SPEWMETA}, else {@code /run.sh}. Symbolic links there are not followed (they would point
 * into the host).
 */
final class EntryPoint {
    static final String DEFAULT = "/run.sh";
    private static final Pattern JSON_RUN = Pattern.compile("\"run\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private EntryPoint() {}

    static String of(Path rootfs) {
        String json = read(rootfs.resolve(".spew/build.json"));
        if (json != null) {
            Matcher matcher = JSON_RUN.matcher(json);
            if (matcher.find() && !matcher.group(1).isBlank()) {
                return matcher.group(1).replace("\\/", "/").replace("\\\"", "\"").replace("\\\\", "\\");
            }
            return DEFAULT;
        }
        String spewmeta = read(rootfs.resolve("SPEWMETA"));
        if (spewmeta != null) {
            for (String line : spewmeta.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("RUN=")) {
                    String value = trimmed.substring(4).trim();
                    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return value.isBlank() ? DEFAULT : value;
                }
            }
        }
        return DEFAULT;
    }

    private static String read(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 64 * 1024) {
                return null;
            }
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
