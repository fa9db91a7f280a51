package io.spew.impl.template;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Template files: every {@code *.spewtmpl} under a directory (a build's root filesystem, or
 * {@code templates/<appliance>/} next to an environment file), rendered with an instance's values
 * into a directory of its own, keeping relative paths and dropping the suffix
 * ({@code conf/riak.conf.spewtmpl} becomes {@code conf/riak.conf}). A file is replaced by a rename, so
 * that a process reading it while it is rendered again sees the old text or the new one.
 */
public final class TemplateFiles {
    /** The suffix of template files. */
    public static final String SUFFIX = ".spewtmpl";

    private TemplateFiles() {}

    /** Renders the templates of {@code source} (when it exists) into {@code target}. */
    public static void render(Path source, Path target, TemplateRenderer renderer) {
        render(source, find(source), target, renderer);
    }

    /**
     * The template files under a directory (none when it does not exist), relative to it, sorted;
     * symbolic links are not followed, nor taken as templates.
     */
    public static List<Path> find(Path source) {
        // File.exists first: most appliances have no templates, and Files.isDirectory of a missing path
        // throws (and catches) two exceptions on the way, at each instance's start
        if (!source.toFile().exists() || !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> file.toString().endsWith(SUFFIX)).map(source::relativize).sorted().toList();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read templates " + source + ": " + e.getMessage(), e);
        }
    }

    /** Renders {@code templates} (relative to {@code source}, as {@link #find} gives them) into {@code target}. */
    public static void render(Path source, List<Path> templates, Path target, TemplateRenderer renderer) {
        if (templates.isEmpty()) {
            return;
        }
        for (Path template : templates.stream().map(source::resolve).toList()) {
            String relative = source.relativize(template).toString();
            Path rendered = target.resolve(relative.substring(0, relative.length() - SUFFIX.length()));
            try {
                String text = renderer.render(Files.readString(template, StandardCharsets.UTF_8));
                Files.createDirectories(target);
                checkInside(rendered.getParent(), target.toRealPath());
                Files.createDirectories(rendered.getParent());
                replace(rendered, text);
            } catch (SpewException e) {
                throw new SpewException(e.code(), "template " + relative + " of " + e.getMessage());
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot render " + template + " into " + rendered + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Refuses a directory whose nearest existing part leads out of {@code root}: a symbolic link the
     * instance made in its own files is never written through.
     */
    private static void checkInside(Path directory, Path root) throws IOException {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toRealPath().startsWith(root)) {
            throw new IOException(directory + " leads out of " + root);
        }
    }

    private static void replace(Path rendered, String text) throws IOException {
        Path temporary = rendered.resolveSibling("." + rendered.getFileName() + ".spew-rendering");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, rendered, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
