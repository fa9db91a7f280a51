package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.ApplianceVersion;
import io.spew.impl.state.AtomicFiles;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versions of each appliance of an environment, as {@code history/<appliance>.json}, written
 * crash-safe. The last version is what the appliance's instances are rolled to.
 */
@Singleton
final class ApplianceHistory {
    /** The content of one history file. */
    record Versions(List<ApplianceVersion> versions) {
        Versions {
            versions = List.copyOf(versions == null ? List.of() : versions);
        }
    }

    private final Path directory;
    private final Map<String, List<ApplianceVersion>> cache = new HashMap<>();

    @Inject
    ApplianceHistory(DataDirectory dataDirectory) {
        this.directory = dataDirectory.root().resolve("history");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot make " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The versions of an appliance, oldest first; none when it never ran in an environment. */
    synchronized List<ApplianceVersion> list(String appliance) {
        List<ApplianceVersion> cached = cache.get(appliance);
        if (cached != null) {
            return cached;
        }
        Path file = path(appliance);
        List<ApplianceVersion> versions = List.of();
        if (Files.exists(file)) {
            try {
                versions = StateFiles.read(file, Versions.class).versions();
            } catch (CorruptStateException e) {
                CorruptFiles.setAside(e, "The versions of appliance " + appliance + " are forgotten");
            }
        }
        cache.put(appliance, versions);
        return versions;
    }

    Optional<ApplianceVersion> latest(String appliance) {
        List<ApplianceVersion> versions = list(appliance);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** A version by number, or NOT_FOUND naming the versions there are. */
    ApplianceVersion get(String appliance, int version) {
        return find(appliance, list(appliance), version);
    }

    /** A version of {@code versions} by number, or NOT_FOUND naming the versions there are. */
    static ApplianceVersion find(String appliance, List<ApplianceVersion> versions, int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new SpewException(ErrorCode.NOT_FOUND, "appliance " + appliance + " has no version "
                        + version + " (versions: " + (versions.isEmpty() ? "none"
                        : versions.get(0).version() + " to " + versions.get(versions.size() - 1).version())
                        + "): see 'spew history " + appliance + "'"));
    }

    /**
     * The version a rollback goes back to: {@code version} of {@code versions}, or when null the one before the last
     * (INVALID_STATE when there is none).
     */
    static ApplianceVersion rollbackTarget(String appliance, List<ApplianceVersion> versions, Integer version) {
        if (version != null) {
            return find(appliance, versions, version);
        }
        if (versions.size() < 2) {
            throw new SpewException(ErrorCode.INVALID_STATE, "appliance " + appliance + " has no version before "
                    + (versions.isEmpty() ? "this one" : "version " + versions.get(0).version())
                    + " to roll back to: 'spew history " + appliance + "' lists its versions");
        }
        return versions.get(versions.size() - 2);
    }

    /** Adds a version numbered after the last; returns it. */
    synchronized ApplianceVersion add(String appliance, ApplianceVersion unnumbered) {
        List<ApplianceVersion> versions = new ArrayList<>(list(appliance));
        ApplianceVersion version = numbered(unnumbered, versions.isEmpty() ? 1
                : versions.get(versions.size() - 1).version() + 1);
        versions.add(version);
        replace(appliance, versions);
        return version;
    }

    /** Keeps {@code versions} as the versions of an appliance (a copy of the cluster's), unless they are already. */
    synchronized void replace(String appliance, List<ApplianceVersion> versions) {
        if (versions.equals(cache.get(appliance))) {
            return;
        }
        StateFiles.write(path(appliance), new Versions(versions));
        cache.put(appliance, List.copyOf(versions));
    }

    /** The same version under another number. */
    static ApplianceVersion numbered(ApplianceVersion unnumbered, int number) {
        return new ApplianceVersion(number, unnumbered.fingerprint(), unnumbered.resolved(), unnumbered.applied(),
                unnumbered.templates(), unnumbered.at(), unnumbered.by(), unnumbered.note());
    }

    /** Every version of every appliance, for the builds they use. */
    synchronized List<ApplianceVersion> all() {
        List<ApplianceVersion> all = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && !AtomicFiles.isTemporary(file)) {
                    all.addAll(list(name.substring(0, name.length() - ".json".length())));
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
        return all;
    }

    private Path path(String appliance) {
        return directory.resolve(appliance + ".json");
    }
}
