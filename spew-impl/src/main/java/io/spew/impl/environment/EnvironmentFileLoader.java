package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.EnvironmentFiles;
import io.spew.impl.appliance.ConfigNode;
import io.spew.impl.template.TemplateFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an environment file and, following {@code include:}, every file it includes (each path
 * relative to the directory of the file that includes it), so that the engine (or a daemon) gets
 * every text at once, with the template files ({@code templates/<appliance>/**.spewtmpl}) next to it.
 */
public final class EnvironmentFileLoader {
    /** The directory next to an environment file that holds template files, one directory per appliance. */
    public static final String TEMPLATES = "templates";
    private static final int MAX_TEMPLATES = 1000;

    private EnvironmentFileLoader() {}

    /** Reads {@code file} and its includes; a missing top file is {@code NOT_FOUND}. */
    public static EnvironmentFiles load(Path file) {
        Path top = file.toAbsolutePath().normalize();
        Map<String, String> contents = new LinkedHashMap<>();
        contents.put(top.toString(), read(top, null));
        Deque<String> pending = new ArrayDeque<>(List.of(top.toString()));
        while (!pending.isEmpty()) {
            String current = pending.pop();
            for (Include include : includes(current, contents.get(current))) {
                if (!contents.containsKey(include.path())) {
                    contents.put(include.path(), read(Path.of(include.path()), include.node()));
                    pending.push(include.path());
                }
            }
        }
        contents.putAll(templates(top.getParent().resolve(TEMPLATES)));
        return new EnvironmentFiles(top.toString(), contents);
    }

    /** Every {@code *.spewtmpl} under {@code templates/<appliance>/} next to the environment file. */
    private static Map<String, String> templates(Path directory) {
        Map<String, String> templates = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return templates;
        }
        try (var files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(TemplateFiles.SUFFIX)).sorted().toList()) {
                if (templates.size() == MAX_TEMPLATES) {
                    throw new SpewException(ErrorCode.INVALID_APPLIANCE, directory + " holds more than " + MAX_TEMPLATES
                            + " template files");
                }
                templates.put(file.toString(), read(file, null));
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
        return templates;
    }

    /** One {@code include:} element, resolved against the including file. */
    record Include(String path, ConfigNode node) {}

    /** The files a file includes, resolved against its directory. */
    static List<Include> includes(String source, String content) {
        ConfigNode root = ConfigNode.parse(source, content);
        if (root == null || !root.isMapping()) {
            return List.of();
        }
        ConfigNode.Entry include = root.entries("an environment file", null).get("include");
        if (include == null || include.value().isNull()) {
            return List.of();
        }
        List<ConfigNode> elements = include.value().isScalar() ? List.of(include.value())
                : include.value().elements("'include'");
        Path directory = Path.of(source).toAbsolutePath().getParent();
        return elements.stream().map(element -> new Include(
                directory.resolve(element.text("each element of 'include'")).normalize().toString(), element)).toList();
    }

    private static String read(Path file, ConfigNode includedBy) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (includedBy != null) {
                throw includedBy.error("included file " + file + " does not exist");
            }
            throw new SpewException(ErrorCode.NOT_FOUND, file + ": no such environment file");
        } catch (CharacterCodingException e) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, file + ":1:1: not UTF-8 text");
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
