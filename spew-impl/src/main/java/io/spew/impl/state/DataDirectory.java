package io.spew.impl.state;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.os.TopDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The layout of the data directory (DESIGN.md), made with mode 0700 on first use. */
public record DataDirectory(Path root) {
    public DataDirectory {
        root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    public Path builds() {
        return root.resolve("builds");
    }

    public Path trust() {
        return root.resolve("trust");
    }

    public Path keys() {
        return root.resolve("keys");
    }

    public Path appliances() {
        return root.resolve("appliances");
    }

    public Path instances() {
        return root.resolve("instances");
    }

    public Path daemon() {
        return root.resolve("daemon");
    }

    public Path cluster() {
        return root.resolve("cluster");
    }

    /** Makes every directory of the layout that is missing. */
    public DataDirectory create() {
        for (Path directory : List.of(root, builds(), trust(), keys(), appliances(), instances(), daemon(), cluster())) {
            try {
                if (!Files.isDirectory(directory)) {
                    Files.createDirectories(directory);
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                }
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot create data directory " + directory + ": " + e
                        + " (choose another with --data-dir or SPEW_DATA_DIR)", e);
            }
        }
        // each instance's directory is a tree unrelated to the others': see TopDirectories
        TopDirectories.mark(instances());
        return this;
    }
}
