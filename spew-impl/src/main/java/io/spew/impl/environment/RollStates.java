package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.CorruptFiles;
import io.spew.impl.state.CorruptStateException;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.StateFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The rolls under way, one per appliance, as {@code rolls/<appliance>.json}, written crash-safe
 * before a roll replaces anything and removed when it is done: a restarted engine goes on with them.
 */
@Singleton
final class RollStates {
    /**
     * One roll under way.
     *
     * @param file the environment file the appliance belongs to
     * @param appliance the appliance rolled
     * @param version the version of the appliance rolled to
     * @param fingerprint what that version's instances are made from
     * @param canaries whether the roll stops after the update policy's canaries (until promoted)
     */
    record Rolling(String file, String appliance, int version, String fingerprint, boolean canaries) {}

    private final Path directory;

    @Inject
    RollStates(DataDirectory dataDirectory) {
        this.directory = dataDirectory.root().resolve("rolls");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot make " + directory + ": " + e.getMessage(), e);
        }
    }

    synchronized Optional<Rolling> get(String appliance) {
        Path file = path(appliance);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateFiles.read(file, Rolling.class));
        } catch (CorruptStateException e) {
            CorruptFiles.setAside(e, "The roll of appliance " + appliance + " is forgotten: run 'spew start' again");
            return Optional.empty();
        }
    }

    synchronized void put(Rolling rolling) {
        StateFiles.write(path(rolling.appliance()), rolling);
    }

    synchronized void remove(String appliance) {
        try {
            Files.deleteIfExists(path(appliance));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot end the roll of " + appliance + ": " + e.getMessage(), e);
        }
    }

    private Path path(String appliance) {
        return directory.resolve(appliance + ".json");
    }
}
