package io.spew.impl.template;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Template files: every {@code *.spewtmpl} under a directory, rendered with an instance's values
 * into a directory of its own, keeping relative paths and dropping the suffix
 * ({@code conf/riak.conf.spewtmpl} becomes {@code conf/riak.conf}).
 */
public final class TemplateFiles {
    /** The suffix of template files. */
    public static final String SUFFIX = ".spewtmpl";

    private TemplateFiles() {}

    /** Renders the templates of {@code source} (when it exists) into {@code target}. */
    public static void render(Path source, Path target, TemplateRenderer renderer) {
        if (!Files.isDirectory(source)) {
            return;
        }
        List<Path> templates;
        try (Stream<Path> files = Files.walk(source)) {
            templates = files.filter(Files::isRegularFile).filter(file -> file.toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read templates " + source + ": " + e.getMessage(), e);
        }
        for (Path template : templates) {
            String relative = source.relativize(template).toString();
            Path rendered = target.resolve(relative.substring(0, relative.length() - SUFFIX.length()));
            try {
                String text = renderer.render(Files.readString(template, StandardCharsets.UTF_8));
                Files.createDirectories(rendered.getParent());
                Files.writeString(rendered, text, StandardCharsets.UTF_8);
            } catch (SpewException e) {
                throw new SpewException(e.code(), "template " + relative + " of " + e.getMessage());
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot render " + template + " into " + rendered + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
