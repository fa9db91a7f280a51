package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.Appliances;
import io.spew.appliance.ExplainedValue;
import io.spew.impl.runtime.RuntimeRegistry;
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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/** The applied appliances, kept as {@code appliances/<name>.json}. */
@Singleton
public final class ApplianceStore implements Appliances {
    private final Path directory;
    private final RuntimeRegistry runtimes;
    private final Map<String, Appliance> appliances = new ConcurrentSkipListMap<>();

    @Inject
    public ApplianceStore(DataDirectory dataDirectory, RuntimeRegistry runtimes) {
        this.directory = dataDirectory.appliances();
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        load();
    }

    private void load() {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (AtomicFiles.isTemporary(file)) {
                    Files.deleteIfExists(file);
                } else if (file.getFileName().toString().endsWith(".json")) {
                    try {
                        Appliance appliance = StateFiles.read(file, Appliance.class);
                        appliances.put(appliance.name(), appliance);
                    } catch (CorruptStateException e) {
                        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                        CorruptFiles.setAside(e, "Appliance " + name + " is not loaded: apply it again"
                                + " ('spew appliance apply FILE')");
                    }
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Appliance apply(String source, String content) {
        ParsedAppliance parsed = ApplianceParser.parse(source, content);
        check(parsed, resolver(Map.of(parsed.appliance().name(), parsed.appliance())));
        return store(List.of(parsed.appliance())).get(0);
    }

    @Override
    public List<Appliance> applyAll(String source, String content) {
        List<ParsedAppliance> many = ApplianceParser.parseEnvironmentAppliances(source, content);
        if (many == null) {
            return List.of(apply(source, content));
        }
        Map<String, Appliance> pending = new LinkedHashMap<>();
        many.forEach(parsed -> pending.put(parsed.appliance().name(), parsed.appliance()));
        ApplianceResolver resolver = resolver(pending);
        for (ParsedAppliance parsed : many) {
            check(parsed, resolver);
        }
        return store(List.copyOf(pending.values()));
    }

    @Override
    public Appliance apply(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, "cannot read appliance file " + file + ": " + e);
        }
        return apply(file.toString(), content);
    }

    @Override
    public Appliance apply(Appliance appliance) {
        if (!ApplianceParser.NAME.matcher(appliance.name()).matches()) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, "bad appliance name '" + appliance.name() + "'");
        }
        check(new ParsedAppliance(appliance, List.of()), resolver(Map.of(appliance.name(), appliance)));
        return store(List.of(appliance)).get(0);
    }

    /**
     * A resolver that sees {@code pending} (appliances about to be applied) over the applied ones.
     */
    public ApplianceResolver resolver(Map<String, Appliance> pending) {
        Map<String, Appliance> copy = Map.copyOf(pending);
        return new ApplianceResolver(name -> copy.containsKey(name) ? copy.get(name) : appliances.get(name));
    }

    /**
     * Checks that an appliance resolves (its parents exist, without a cycle), that every
     * {@code ${...}} it writes has a value, and that its runtime accepts its config; returns it resolved.
     */
    public ApplianceResolver.Resolution check(ParsedAppliance parsed, ApplianceResolver resolver) {
        ApplianceResolver.Resolution resolution = resolver.resolve(parsed.appliance());
        Appliance resolved = resolution.appliance();
        References.check(resolved.name(), parsed.references(), resolved.options().keySet());
        String where = resolved.source() == null ? "appliance " + resolved.name() : resolved.source();
        try {
            String runtime = runtimes.choose(resolved.runtime());
            runtimes.get(runtime).checkAppliance(resolved.config(), resolved.command());
        } catch (SpewException e) {
            String location = resolved.origins().getOrDefault("runtime", resolved.origins().getOrDefault("config", where));
            throw new SpewException(e.code(), location + ": " + e.getMessage());
        }
        return resolution;
    }

    /** Keeps appliances that were checked, replacing those of the same names. */
    public synchronized List<Appliance> store(List<Appliance> checked) {
        for (Appliance appliance : checked) {
            StateFiles.write(directory.resolve(appliance.name() + ".json"), appliance);
            appliances.put(appliance.name(), appliance);
        }
        return checked;
    }

    /** The directory of an appliance's template files ({@code appliances/<name>.templates}); it may not exist. */
    public Path templates(String name) {
        return directory.resolve(name + ".templates");
    }

    /**
     * Replaces the template files of an appliance with {@code files} (text by path relative to the
     * directory; none removes the directory).
     */
    public synchronized void storeTemplates(String name, Map<String, String> files) {
        Path target = templates(name);
        Path staging = directory.resolve("." + name + ".templates.new");
        Path old = directory.resolve("." + name + ".templates.old");
        try {
            deleteTree(staging);
            deleteTree(old);
            if (!files.isEmpty()) {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    Path path = staging.resolve(file.getKey()).normalize();
                    if (!path.startsWith(staging)) {
                        throw new SpewException(ErrorCode.INVALID_APPLIANCE, "template " + file.getKey() + " is outside its directory");
                    }
                    Files.createDirectories(path.getParent());
                    Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                }
            }
            if (Files.exists(target)) {
                Files.move(target, old);
            }
            if (!files.isEmpty()) {
                Files.move(staging, target);
            }
            deleteTree(old);
            AtomicFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot keep the templates of " + name + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The applied appliance of a name, unresolved, or null. */
    public Appliance find(String name) {
        return appliances.get(name);
    }

    @Override
    public Appliance resolve(String name) {
        get(name);
        return resolver(Map.of()).resolve(name).appliance();
    }

    @Override
    public List<ExplainedValue> explain(String name) {
        get(name);
        return resolver(Map.of()).resolve(name).explain();
    }

    @Override
    public List<Appliance> list() {
        return List.copyOf(appliances.values());
    }

    @Override
    public Appliance get(String name) {
        Appliance appliance = appliances.get(name);
        if (appliance == null) {
            throw new SpewException(ErrorCode.APPLIANCE_NOT_FOUND,
                    "no appliance named '" + name + "': apply one with 'spew appliance apply FILE'");
        }
        return appliance;
    }

    @Override
    public synchronized void remove(String name) {
        get(name);
        try {
            Files.deleteIfExists(directory.resolve(name + ".json"));
            AtomicFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot remove appliance " + name + ": " + e.getMessage(), e);
        }
        appliances.remove(name);
    }
}
