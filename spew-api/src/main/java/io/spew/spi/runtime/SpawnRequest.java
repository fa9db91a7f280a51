package io.spew.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A process to spawn.
 *
 * @param command the program (a path, or a name looked up in the {@code PATH} of {@code env}) and its arguments
 * @param env its whole environment
 * @param workdir its working directory, or null for the engine's
 * @param stdout the file its standard output is appended to; a FIFO is opened for reading and
 *     writing instead, so that the process never gets {@code EPIPE} while nobody reads it
 * @param stderr the file its standard error is appended to (may be the same as stdout), the same way
 * @param newSession whether it leads a new session and process group
 */
public record SpawnRequest(
        List<String> command,
        Map<String, String> env,
        Path workdir,
        Path stdout,
        Path stderr,
        boolean newSession) {
    public SpawnRequest {
        command = List.copyOf(requireNonNull(command, "command is null"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
        env = Collections.unmodifiableSortedMap(new TreeMap<>(env == null ? Map.of() : env));
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }
}
