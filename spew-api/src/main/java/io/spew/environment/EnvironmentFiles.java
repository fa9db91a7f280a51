package io.spew.environment;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of an environment file and of every file it includes, as read by the caller.
 *
 * @param file the path of the environment file, absolute, as it is named in errors and keyed in the data directory
 * @param contents the text of that file and of each included one, by path (includes are resolved
 *     against the directory of the including file)
 */
public record EnvironmentFiles(String file, Map<String, String> contents) {
    public EnvironmentFiles {
        requireNonNull(file, "file is null");
        contents = Collections.unmodifiableSortedMap(new TreeMap<>(contents));
        if (!contents.containsKey(file)) {
            throw new IllegalArgumentException("the contents hold no text for " + file);
        }
    }

    /** One file without includes. */
    public static EnvironmentFiles of(String file, String content) {
        return new EnvironmentFiles(file, Map.of(file, content));
    }
}
