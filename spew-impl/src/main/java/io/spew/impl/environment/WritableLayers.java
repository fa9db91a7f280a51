package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Carries the writable layer of an instance ({@code instances/<id>/upper}, the nspawn runtime's
 * overlay upper directory) over to the instance that replaces it ({@code update.keep_data}): it is
 * moved aside to {@code rolls/kept/<name>} before the old instance goes, then merged into the new
 * one's, where the files the new instance was made with (its rendered templates) win. Moves are
 * renames within the data directory, so a layer is never copied.
 */
final class WritableLayers {
    private static final String UPPER = "upper";

    private final Path instances;
    private final Path kept;

    WritableLayers(Path dataDirectory) {
        this.instances = dataDirectory.resolve("instances");
        this.kept = dataDirectory.resolve("rolls").resolve("kept");
    }

    /** Moves the writable layer of an instance aside, if it has one and none was moved aside before. */
    void setAside(String name, String instanceId) {
        Path upper = instances.resolve(instanceId).resolve(UPPER);
        Path target = kept.resolve(name);
        try {
            if (Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS) && !Files.exists(target)) {
                Files.createDirectories(kept);
                Files.move(upper, target);
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot keep the writable layer of " + name + " (" + upper
                    + "): " + e.getMessage() + ": set update.keep_data: false to start it fresh", e);
        }
    }

    /** Whether a layer was set aside for a name and not given back yet. */
    boolean hasKept(String name) {
        return Files.isDirectory(kept.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Merges the layer set aside for a name into the writable layer of a new instance, and forgets it. */
    void restore(String name, String instanceId) {
        Path source = kept.resolve(name);
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path upper = instances.resolve(instanceId).resolve(UPPER);
        try {
            Files.createDirectories(upper);
            merge(source, upper);
            delete(source);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot give " + name + " its writable layer back from "
                    + source + ": " + e.getMessage(), e);
        }
    }

    private static void merge(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(from)) {
            entries = list.toList();
        }
        for (Path entry : entries) {
            Path target = to.resolve(entry.getFileName().toString());
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(entry, target);
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                    && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                merge(entry, target);
            }
            // a file the new instance was made with wins over the old one
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
