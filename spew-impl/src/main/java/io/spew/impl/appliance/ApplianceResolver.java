package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.ChangePolicy;
import io.spew.appliance.ExplainedValue;
import io.spew.appliance.UpdatePolicy;
import io.spew.instance.RestartPolicy;
import io.spew.instance.StopPolicy;
import io.spew.service.ServiceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves {@code extends}: an appliance's parents in order (later ones win), then its own values;
 * maps merge key by key, lists and single values replace. Keeps which appliance, and where, set
 * each value. A missing parent or a cycle is an {@code INVALID_APPLIANCE} naming them.
 */
public final class ApplianceResolver {
    private final Function<String, Appliance> lookup;
    private final Map<String, Resolution> resolved = new HashMap<>();

    /** @param lookup the unresolved appliance of a name, or null when there is none */
    public ApplianceResolver(Function<String, Appliance> lookup) {
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    /** Who set a value, and where. */
    public record Origin(String appliance, String location) {}

    /** A resolved appliance and the origin of each of its values, by key. */
    public record Resolution(Appliance appliance, Map<String, Origin> origins) {
        public Resolution {
            origins = Collections.unmodifiableSortedMap(new TreeMap<>(origins));
        }

        /** Each value with who set it, sorted by key; defaults say so. */
        public List<ExplainedValue> explain() {
            Map<String, String> values = new TreeMap<>();
            Appliance a = appliance;
            put(values, "runtime", a.runtime() == null ? "(chosen at run by priority and probe)" : a.runtime());
            put(values, "build", a.build());
            put(values, "command", a.command().isEmpty() ? null : list(a.command()));
            a.env().forEach((key, value) -> values.put("env." + key, value));
            put(values, "workdir", a.workdir());
            put(values, "stop", a.stop().signal().name() + ", SIGKILL after " + a.stop().timeout().toMillis() + " ms");
            a.options().forEach((key, value) -> values.put("options." + key, value));
            a.config().forEach((key, value) -> values.put("config." + key, value));
            a.constraints().forEach((key, value) -> values.put("constraints." + key, value));
            put(values, "services", a.services().isEmpty() ? null : a.services().stream().map(ApplianceResolver::describe)
                    .collect(Collectors.joining(", ", "[", "]")));
            put(values, "requires", a.requires().isEmpty() ? null : list(a.requires()));
            put(values, "restart", a.restart().equals(RestartPolicy.NEVER) ? null : describe(a.restart()));
            put(values, "update", a.update().equals(UpdatePolicy.DEFAULT) ? null : describe(a.update()));
            put(values, "on_change", a.onChange().equals(ChangePolicy.DEFAULT) ? null : a.onChange().describe());
            List<ExplainedValue> explained = new ArrayList<>();
            values.forEach((key, value) -> {
                Origin origin = origins.get(key);
                explained.add(origin == null ? new ExplainedValue(key, value, null, null)
                        : new ExplainedValue(key, value, origin.appliance(), origin.location()));
            });
            return explained;
        }

        private static void put(Map<String, String> values, String key, String value) {
            if (value != null) {
                values.put(key, value);
            }
        }

        private static String list(List<String> values) {
            return values.stream().map(value -> value.isEmpty() || value.contains(" ") || value.contains(",")
                    ? "\"" + value.replace("\"", "\\\"") + "\"" : value).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** Resolves the appliance of a name; throws {@code APPLIANCE_NOT_FOUND} when there is none. */
    public Resolution resolve(String name) {
        Appliance appliance = lookup.apply(name);
        if (appliance == null) {
            throw new SpewException(ErrorCode.APPLIANCE_NOT_FOUND,
                    "no appliance named '" + name + "': apply one with 'spew appliance apply FILE'");
        }
        return resolve(appliance, new LinkedHashMap<>());
    }

    /** Resolves an appliance that is not (yet) what the lookup answers for its name. */
    public Resolution resolve(Appliance appliance) {
        return resolve(appliance, new LinkedHashMap<>());
    }

    private Resolution resolve(Appliance appliance, LinkedHashMap<String, String> path) {
        boolean fromLookup = lookup.apply(appliance.name()) == appliance;
        if (fromLookup && resolved.containsKey(appliance.name())) {
            return resolved.get(appliance.name());
        }
        String where = appliance.origins().getOrDefault("extends", "appliance " + appliance.name());
        path.put(appliance.name(), where);
        Resolution base = null;
        for (String parentName : appliance.parents()) {
            if (path.containsKey(parentName)) {
                List<String> cycle = new ArrayList<>(path.keySet());
                cycle = cycle.subList(cycle.indexOf(parentName), cycle.size());
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, path.get(parentName) + ": extends cycle: "
                        + String.join(" → ", cycle) + " → " + parentName + ": remove one of these extends");
            }
            Appliance parent = lookup.apply(parentName);
            if (parent == null) {
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, where + ": appliance " + appliance.name()
                        + " extends '" + parentName + "', which does not exist: define or apply it first");
            }
            Resolution parentResolution = resolve(parent, path);
            base = base == null ? parentResolution : merge(base, parentResolution.appliance(), parentResolution.origins());
        }
        path.remove(appliance.name());
        Resolution result = base == null ? own(appliance) : merge(base, appliance, own(appliance).origins());
        if (fromLookup) {
            resolved.put(appliance.name(), result);
        }
        return result;
    }

    private static Resolution own(Appliance appliance) {
        Map<String, Origin> origins = new TreeMap<>();
        for (String key : setKeys(appliance)) {
            origins.put(key, new Origin(appliance.name(), appliance.origins().get(key)));
        }
        return new Resolution(appliance, origins);
    }

    /** The keys an appliance sets itself: those written in its file, or, built in code, those not empty. */
    private static List<String> setKeys(Appliance a) {
        List<String> keys = new ArrayList<>();
        if (!a.origins().isEmpty()) {
            keys.addAll(a.origins().keySet());
            keys.remove("extends");
            return keys;
        }
        addIf(keys, "runtime", a.runtime() != null);
        addIf(keys, "build", a.build() != null);
        addIf(keys, "command", !a.command().isEmpty());
        addIf(keys, "workdir", a.workdir() != null);
        addIf(keys, "stop", !a.stop().equals(StopPolicy.DEFAULT));
        addIf(keys, "services", !a.services().isEmpty());
        addIf(keys, "requires", !a.requires().isEmpty());
        addIf(keys, "restart", !a.restart().equals(RestartPolicy.NEVER));
        addIf(keys, "update", !a.update().equals(UpdatePolicy.DEFAULT));
        addIf(keys, "on_change", !a.onChange().equals(ChangePolicy.DEFAULT));
        a.env().keySet().forEach(key -> keys.add("env." + key));
        a.options().keySet().forEach(key -> keys.add("options." + key));
        a.config().keySet().forEach(key -> keys.add("config." + key));
        a.constraints().keySet().forEach(key -> keys.add("constraints." + key));
        return keys;
    }

    private static void addIf(List<String> keys, String key, boolean condition) {
        if (condition) {
            keys.add(key);
        }
    }

    /** {@code top}'s values (those in {@code topOrigins}) over {@code base}. */
    private static Resolution merge(Resolution base, Appliance top, Map<String, Origin> topOrigins) {
        Appliance b = base.appliance();
        Map<String, Origin> origins = new TreeMap<>(base.origins());
        origins.putAll(topOrigins);
        Map<String, String> env = new TreeMap<>(b.env());
        env.putAll(top.env());
        Map<String, String> options = new TreeMap<>(b.options());
        options.putAll(top.options());
        Map<String, String> config = new TreeMap<>(b.config());
        config.putAll(top.config());
        Map<String, String> constraints = new TreeMap<>(b.constraints());
        constraints.putAll(top.constraints());
        List<ServiceDefinition> services = topOrigins.containsKey("services") ? top.services() : b.services();
        Map<String, String> locations = new TreeMap<>();
        origins.forEach((key, origin) -> {
            if (origin.location() != null) {
                locations.put(key, origin.location());
            }
        });
        Appliance merged = new Appliance(top.name(),
                pick(topOrigins, "runtime", top.runtime(), b.runtime()),
                pick(topOrigins, "build", top.build(), b.build()),
                pick(topOrigins, "command", top.command(), b.command()),
                env,
                pick(topOrigins, "workdir", top.workdir(), b.workdir()),
                pick(topOrigins, "stop", top.stop(), b.stop()),
                options, config, top.source(), top.parents(), services,
                pick(topOrigins, "requires", top.requires(), b.requires()),
                locations,
                pick(topOrigins, "restart", top.restart(), b.restart()),
                pick(topOrigins, "update", top.update(), b.update()),
                pick(topOrigins, "on_change", top.onChange(), b.onChange()), constraints);
        return new Resolution(merged, origins);
    }

    private static <T> T pick(Map<String, Origin> topOrigins, String key, T top, T base) {
        return topOrigins.containsKey(key) ? top : base;
    }

    private static String describe(UpdatePolicy update) {
        return update.maxParallel() + " at a time, healthy for " + update.minHealthyTime().toMillis()
                + " ms within " + update.healthyDeadline().toMillis() + " ms"
                + (update.canary() == 0 ? "" : ", " + update.canary() + " canary")
                + (update.autoRevert() ? ", reverted on failure" : "")
                + (update.keepData() ? ", data kept" : ", data fresh");
    }

    private static String describe(RestartPolicy restart) {
        return restart.policy() + ", backoff " + restart.initial().toMillis() + " ms to " + restart.max().toMillis()
                + " ms, reset after " + restart.resetAfter().toSeconds() + " s"
                + (restart.limit() == 0 ? "" : ", failed after " + restart.limit() + " within "
                        + restart.within().toSeconds() + " s")
                + (restart.onUnhealthy() ? ", also when unhealthy" : "");
    }

    private static String describe(ServiceDefinition service) {
        return service.name() + ":" + service.port() + (service.check() == null
                ? "" : " (check " + service.check().describe() + ")");
    }
}
