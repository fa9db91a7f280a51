package io.spew.impl.build;

import com.fasterxml.jackson.core.type.TypeReference;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The metadata a build carries at its root: {@code SPEWMETA} (lines {@code KEY=VALUE}: {@code TARGET},
 * {@code VSN}, {@code RUN}) or {@code .spew/build.json} (strings: {@code name}, {@code version},
 * {@code run}, anything else). Read without following symlinks: a symlink there is refused.
 */
record BuildMetadata(String name, String version, String run, Map<String, String> values) {
    static final String DEFAULT_RUN = "/run.sh";
    private static final long MAX_BYTES = 64 * 1024;

    static BuildMetadata read(Path rootfs) throws IOException {
        Optional<String> json = readSafely(rootfs, ".spew", "build.json");
        if (json.isPresent()) {
            Map<String, String> values;
            try {
                values = new TreeMap<>(Json.mapper().readValue(json.get(), new TypeReference<Map<String, String>>() {}));
            } catch (IOException e) {
                throw invalid(".spew/build.json is not a JSON object of strings: " + e.getMessage());
            }
            return new BuildMetadata(values.get("name"), values.get("version"), values.get("run"), values);
        }
        Optional<String> spewmeta = readSafely(rootfs, null, "SPEWMETA");
        if (spewmeta.isPresent()) {
            Map<String, String> values = parseSpewmeta(spewmeta.get());
            return new BuildMetadata(values.get("TARGET"), values.get("VSN"), values.get("RUN"), values);
        }
        return new BuildMetadata(null, null, null, Map.of());
    }

    String entryPoint() {
        return run == null || run.isBlank() ? DEFAULT_RUN : run;
    }

    private static Map<String, String> parseSpewmeta(String text) {
        Map<String, String> values = new TreeMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw invalid("SPEWMETA line " + lineNumber + " is not KEY=VALUE: '" + trimmed + "'");
            }
            String value = trimmed.substring(equals + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(trimmed.substring(0, equals).trim(), value);
        }
        return values;
    }

    private static Optional<String> readSafely(Path rootfs, String directory, String file) throws IOException {
        Path parent = rootfs;
        if (directory != null) {
            parent = rootfs.resolve(directory);
            if (!Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            if (!Files.readAttributes(parent, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                throw invalid(directory + " is not a directory (a symlink there is not followed)");
            }
        }
        Path path = parent.resolve(file);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = directory == null ? file : directory + "/" + file;
        if (!attributes.isRegularFile()) {
            throw invalid(name + " is not a regular file (a symlink there is not followed)");
        }
        if (attributes.size() > MAX_BYTES) {
            throw invalid(name + " is larger than " + MAX_BYTES + " bytes");
        }
        return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
    }

    private static SpewException invalid(String what) {
        return new SpewException(ErrorCode.INVALID_BUILD, "build metadata: " + what);
    }
}
