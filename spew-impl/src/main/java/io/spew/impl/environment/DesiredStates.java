package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.DesiredEnvironment;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.CorruptFiles;
import io.spew.impl.state.CorruptStateException;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.StateFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/** The desired state of each environment file started, as {@code environments/<hash of the file's path>.json}. */
@Singleton
final class DesiredStates {
    private final Path directory;
    private final Map<String, DesiredEnvironment> states = new ConcurrentSkipListMap<>();

    @Inject
    DesiredStates(DataDirectory dataDirectory) {
        this.directory = dataDirectory.root().resolve("environments");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    if (AtomicFiles.isTemporary(file)) {
                        Files.deleteIfExists(file);
                    } else if (file.getFileName().toString().endsWith(".json")) {
                        try {
                            DesiredEnvironment state = StateFiles.read(file, DesiredEnvironment.class);
                            states.put(state.file(), state);
                        } catch (CorruptStateException e) {
                            CorruptFiles.setAside(e, "The environment it recorded is forgotten: run 'spew start'"
                                    + " with its file again");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    Optional<DesiredEnvironment> get(String file) {
        return Optional.ofNullable(states.get(file));
    }

    List<DesiredEnvironment> list() {
        return List.copyOf(states.values());
    }

    synchronized void put(DesiredEnvironment state) {
        StateFiles.write(path(state.file()), state);
        states.put(state.file(), state);
    }

    synchronized void remove(String file) {
        try {
            Files.deleteIfExists(path(file));
            AtomicFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot forget environment " + file + ": " + e.getMessage(), e);
        }
        states.remove(file);
    }

    private Path path(String file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(file.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 12) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
