package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.EnvironmentFiles;
import io.spew.impl.appliance.ApplianceParser;
import io.spew.impl.appliance.ConfigNode;
import io.spew.impl.appliance.ConfigNode.Entry;
import io.spew.impl.appliance.ParsedAppliance;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an environment file: {@code include:} (appliance libraries: files that hold
 * {@code appliances:} and {@code include:} only), {@code appliances:}, {@code instances:} (counts)
 * and {@code environments:}, which may change counts and nothing else.
 */
final class EnvironmentParser {
    private static final Set<String> TOP_KEYS = Set.of("include", "appliances", "instances", "environments");
    private static final Set<String> LIBRARY_KEYS = Set.of("include", "appliances");

    private final EnvironmentFiles files;
    private final Map<String, ParsedAppliance> appliances = new LinkedHashMap<>();
    private final Map<String, String> definedAt = new HashMap<>();
    private final Map<String, String> locations = new HashMap<>();
    private final Set<String> read = new HashSet<>();

    private EnvironmentParser(EnvironmentFiles files) {
        this.files = files;
    }

    /**
     * Reads the files; {@code applied} tells whether an appliance of that name is applied already
     * (counts may name those too).
     */
    static EnvironmentDefinition parse(EnvironmentFiles files, Predicate<String> applied) {
        return new EnvironmentParser(files).parse(applied);
    }

    private EnvironmentDefinition parse(Predicate<String> applied) {
        String file = files.file();
        ConfigNode root = ConfigNode.parse(file, files.contents().get(file));
        if (root == null) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, file + ":1:1: the environment file is empty:"
                    + " write 'appliances:' and 'instances:'");
        }
        Map<String, Entry> entries = root.entries("an environment file", TOP_KEYS);
        read(file, entries);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Entry instances = entries.get("instances");
        if (instances != null && !instances.value().isNull()) {
            instances.value().entries("'instances'", null).forEach((name, entry) -> {
                if (!appliances.containsKey(name) && !applied.test(name)) {
                    throw entry.key().error("'instances' counts '" + name + "', which is neither under 'appliances:'"
                            + " nor applied");
                }
                counts.put(name, entry.value().count("the count of " + name));
                locations.put(name, entry.value().location());
            });
        }
        for (String name : appliances.keySet()) {
            counts.putIfAbsent(name, 0);
        }
        Map<String, Map<String, Integer>> environments = new LinkedHashMap<>();
        Entry environmentsEntry = entries.get("environments");
        if (environmentsEntry != null && !environmentsEntry.value().isNull()) {
            environmentsEntry.value().entries("'environments'", null).forEach((environment, entry) ->
                    environments.put(environment, environment(environment, entry, counts)));
        }
        return new EnvironmentDefinition(file, appliances, counts, environments, locations);
    }

    private Map<String, Integer> environment(String environment, Entry entry, Map<String, Integer> counts) {
        if (environment.equals("default")) {
            throw entry.key().error("'default' is the environment of 'instances:' itself: pick another name");
        }
        Map<String, Integer> changes = new LinkedHashMap<>();
        if (entry.value().isNull()) {
            return changes;
        }
        if (!entry.value().isMapping()) {
            throw entry.value().error("environment " + environment + " must map appliances to counts, not "
                    + entry.value().kind());
        }
        entry.value().entries("environment " + environment, null).forEach((name, change) -> {
            if (!counts.containsKey(name)) {
                throw change.key().error("environment " + environment + " changes '" + name + "', which is not an"
                        + " appliance of this file: environments may change counts and nothing else");
            }
            if (!change.value().isScalar()) {
                throw change.value().error("environment " + environment + " sets '" + name + "' to " + change.value().kind()
                        + ": environments may change counts and nothing else (write '" + name + ": 8')");
            }
            changes.put(name, change.value().count("the count of " + name + " in environment " + environment));
            locations.put(environment + "." + name, change.value().location());
        });
        return changes;
    }

    private void read(String file, Map<String, Entry> entries) {
        read.add(file);
        Entry include = entries.get("include");
        if (include != null && !include.value().isNull()) {
            for (EnvironmentFileLoader.Include included : EnvironmentFileLoader.includes(file, files.contents().get(file))) {
                if (read.contains(included.path())) {
                    continue;
                }
                String content = files.contents().get(included.path());
                if (content == null) {
                    throw included.node().error("included file " + included.path() + " was not sent along");
                }
                ConfigNode root = ConfigNode.parse(included.path(), content);
                read(included.path(), root == null ? Map.of() : root.entries("an included file (appliances only)", LIBRARY_KEYS));
            }
        }
        Entry defined = entries.get("appliances");
        if (defined != null && !defined.value().isNull()) {
            defined.value().entries("'appliances'", null).forEach((name, entry) -> {
                ParsedAppliance appliance = ApplianceParser.parse(entry.key(), entry.value());
                if (appliances.containsKey(name)) {
                    throw entry.key().error("appliance " + name + " is defined twice (first at " + definedAt.get(name) + ")");
                }
                appliances.put(name, appliance);
                definedAt.put(name, entry.key().location());
            });
        }
    }
}
