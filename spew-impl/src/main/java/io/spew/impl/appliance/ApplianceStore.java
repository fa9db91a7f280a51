package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.Appliances;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.StateFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                    Appliance appliance = StateFiles.read(file, Appliance.class);
                    appliances.put(appliance.name(), appliance);
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Appliance apply(String source, String content) {
        return apply(ApplianceParser.parse(source, content));
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
        String where = appliance.source() == null ? "appliance " + appliance.name() : appliance.source();
        try {
            String runtime = runtimes.choose(appliance.runtime());
            runtimes.get(runtime).checkConfig(appliance.config());
        } catch (SpewException e) {
            throw new SpewException(e.code(), where + ": " + e.getMessage());
        }
        synchronized (this) {
            StateFiles.write(directory.resolve(appliance.name() + ".json"), appliance);
            appliances.put(appliance.name(), appliance);
        }
        return appliance;
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
