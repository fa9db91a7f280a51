package io.spew.impl.runtime;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The runtimes found with {@link ServiceLoader}, each probed once. An explicit choice wins; else the
 * highest-priority runtime whose probe passed. A runtime is made on first use and closed with the
 * registry.
 */
@Singleton
public final class RuntimeRegistry implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuntimeRegistry.class.getName());

    private final RuntimeContext context;
    private final Map<String, InstanceRuntimeFactory> factories;
    private final Map<String, Probe> probes;
    private final Map<String, InstanceRuntime> runtimes = new ConcurrentHashMap<>();

    @Inject
    public RuntimeRegistry(RuntimeContext context) {
        this(context, ServiceLoader.load(InstanceRuntimeFactory.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public RuntimeRegistry(RuntimeContext context, List<InstanceRuntimeFactory> found) {
        this.context = requireNonNull(context, "context is null");
        Map<String, InstanceRuntimeFactory> byName = new LinkedHashMap<>();
        Map<String, Probe> probed = new LinkedHashMap<>();
        found.stream().sorted(Comparator.comparingInt(InstanceRuntimeFactory::priority).reversed()).forEach(factory -> {
            if (factory.spiVersion() != InstanceRuntimeFactory.SPI_VERSION) {
                LOG.log(System.Logger.Level.WARNING, "runtime {0} was built for SPI version {1}, not {2}: ignored",
                        factory.name(), factory.spiVersion(), InstanceRuntimeFactory.SPI_VERSION);
                return;
            }
            byName.putIfAbsent(factory.name(), factory);
            probed.putIfAbsent(factory.name(), probe(factory));
        });
        this.factories = byName;
        this.probes = probed;
    }

    private Probe probe(InstanceRuntimeFactory factory) {
        try {
            return factory.probe(context);
        } catch (RuntimeException e) {
            return Probe.unavailable("probe failed: " + e);
        }
    }

    /** The names of the runtimes whose probe passed, highest priority first. */
    public List<String> available() {
        return probes.entrySet().stream().filter(entry -> entry.getValue().passed()).map(Map.Entry::getKey).toList();
    }

    /** Every runtime found and its probe. */
    public Map<String, Probe> probes() {
        return Map.copyOf(probes);
    }

    /**
     * The name of the runtime to use: {@code explicit} if given (it must exist and pass its probe),
     * else the highest-priority runtime whose probe passed.
     */
    public String choose(String explicit) {
        if (explicit != null) {
            Probe probe = probes.get(explicit);
            if (probe == null) {
                throw new SpewException(ErrorCode.INVALID_APPLIANCE,
                        "unknown runtime '" + explicit + "' (known: " + String.join(", ", probes.keySet()) + ")");
            }
            if (!probe.passed()) {
                throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE,
                        "runtime " + explicit + " is not available here: " + probe.reason());
            }
            return explicit;
        }
        List<String> available = available();
        if (available.isEmpty()) {
            String why = probes.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue().reason())
                    .collect(Collectors.joining("; "));
            throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, "no runtime is available here (" + why + ")");
        }
        return available.get(0);
    }

    /** The runtime of that name, made on first use; it must have passed its probe. */
    public InstanceRuntime get(String name) {
        String chosen = choose(requireNonNull(name, "name is null"));
        return runtimes.computeIfAbsent(chosen, key -> factories.get(key).create(context));
    }

    @Override
    public void close() {
        List<InstanceRuntime> open = new ArrayList<>(runtimes.values());
        runtimes.clear();
        for (InstanceRuntime runtime : open) {
            try {
                runtime.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing runtime failed", e);
            }
        }
    }
}
