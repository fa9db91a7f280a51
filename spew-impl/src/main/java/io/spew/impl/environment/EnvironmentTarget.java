package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.impl.appliance.ApplianceResolver;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.appliance.ParsedAppliance;
import io.spew.impl.appliance.References;
import io.spew.impl.template.TemplateFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.impl.json.Json;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An environment file checked through and through, ready to apply: its appliances resolve and
 * every {@code ${...}} has a value, the environment exists, {@code requires} names appliances of
 * the environment without a cycle. Nothing is changed while it is made.
 *
 * @param desired the desired state it sets
 * @param toApply the file's appliances, unresolved, to apply
 * @param applySteps the appliances that are new or changed
 * @param dropped appliances of the file's previous desired state that it no longer has
 * @param templates the template files of each appliance of the file, by path relative to
 *     {@code templates/<appliance>/}
 * @param fingerprints what the instances of each appliance are made from now: its resolved values
 *     and template files, hashed
 * @param resolved each appliance of the environment, resolved
 */
record EnvironmentTarget(DesiredEnvironment desired, List<Appliance> toApply, List<PlanStep> applySteps,
        List<String> dropped, Map<String, Map<String, String>> templates, Map<String, String> fingerprints,
        Map<String, Appliance> resolved) {

    static final String DEFAULT = "default";

    static EnvironmentTarget of(EnvironmentFiles files, String environment, ApplianceStore appliances,
            DesiredStates states) {
        EnvironmentDefinition definition = EnvironmentParser.parse(files, name -> appliances.find(name) != null);
        Map<String, Appliance> pending = new LinkedHashMap<>();
        definition.appliances().forEach((name, parsed) -> pending.put(name, parsed.appliance()));
        ApplianceResolver resolver = appliances.resolver(pending);
        Map<String, Appliance> resolved = new TreeMap<>();
        for (ParsedAppliance parsed : definition.appliances().values()) {
            resolved.put(parsed.appliance().name(), appliances.check(parsed, resolver).appliance());
        }
        String name = environment == null ? DEFAULT : environment;
        Map<String, Integer> counts = new LinkedHashMap<>(definition.counts());
        if (!name.equals(DEFAULT)) {
            Map<String, Integer> changes = definition.environments().get(name);
            if (changes == null) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, files.file() + " has no environment '" + name
                        + "' (environments: " + String.join(", ", definition.environments().keySet())
                        + (definition.environments().isEmpty() ? "none" : "") + ")");
            }
            counts.putAll(changes);
        }
        Map<String, List<String>> requires = new TreeMap<>();
        for (String appliance : counts.keySet()) {
            Appliance one = resolved.computeIfAbsent(appliance, applied -> resolver.resolve(applied).appliance());
            for (String required : one.requires()) {
                if (!counts.containsKey(required)) {
                    throw new SpewException(ErrorCode.INVALID_APPLIANCE, one.origins().getOrDefault("requires",
                            "appliance " + appliance) + ": appliance " + appliance + " requires '" + required
                            + "', which is not an appliance of this environment file");
                }
            }
            if (!one.requires().isEmpty()) {
                requires.put(appliance, one.requires());
            }
        }
        for (DesiredEnvironment other : states.list()) {
            if (!other.file().equals(files.file())) {
                for (String appliance : counts.keySet()) {
                    if (other.counts().containsKey(appliance)) {
                        throw new SpewException(ErrorCode.INVALID_STATE, files.file() + ": appliance " + appliance
                                + " has instances of environment file " + other.file() + ": stop that one first ('spew stop "
                                + other.file() + "') or rename the appliance");
                    }
                }
            }
        }
        List<String> order = order(counts.keySet(), requires, resolved);
        List<PlanStep> applySteps = new ArrayList<>();
        for (Appliance appliance : pending.values()) {
            Appliance stored = appliances.find(appliance.name());
            if (stored == null) {
                applySteps.add(new PlanStep(PlanAction.APPLY, appliance.name(), "new"));
            } else if (!withoutOrigins(stored).equals(withoutOrigins(appliance))) {
                applySteps.add(new PlanStep(PlanAction.APPLY, appliance.name(), "changed"));
            }
        }
        List<String> dropped = new ArrayList<>();
        states.get(files.file()).ifPresent(previous -> previous.order().stream()
                .filter(appliance -> !counts.containsKey(appliance)).forEach(dropped::add));
        Map<String, String> made = states.get(files.file()).map(DesiredEnvironment::made).orElse(Map.of());
        DesiredEnvironment desired = new DesiredEnvironment(files.file(), name, counts, order, requires, Instant.now(), made);
        Map<String, Map<String, String>> templates = templates(files, pending.keySet(), resolved);
        Map<String, String> fingerprints = new TreeMap<>();
        for (String appliance : counts.keySet()) {
            fingerprints.put(appliance, fingerprint(resolved.get(appliance), templates.get(appliance)));
        }
        return new EnvironmentTarget(desired, List.copyOf(pending.values()), applySteps, dropped, templates, fingerprints,
                resolved);
    }

    private static String fingerprint(Appliance resolved, Map<String, String> templates) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Appliance values = withoutOrigins(resolved);
            ObjectNode fingerprinted = Json.mapper().valueToTree(new Appliance(values.name(), values.runtime(),
                    values.build(), values.command(), values.env(), values.workdir(), values.stop(), values.options(),
                    values.config(), null, null, values.services(), values.requires(), null, values.restart(), null));
            // how changes are followed is not what instances are made from (as update:): a new
            // on_change alone replaces nothing, and fingerprints stay those of appliances without one
            fingerprinted.remove("onChange");
            digest.update(Json.mapper().writeValueAsBytes(fingerprinted));
            digest.update(Json.mapper().writeValueAsBytes(templates == null ? Map.of() : new TreeMap<>(templates)));
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint appliance " + resolved.name(), e);
        }
    }

    /** The template files next to the environment file, by appliance; every ${...} in them must have a value. */
    private static Map<String, Map<String, String>> templates(EnvironmentFiles files, Set<String> defined,
            Map<String, Appliance> resolved) {
        Path root = Path.of(files.file()).getParent().resolve(EnvironmentFileLoader.TEMPLATES);
        Map<String, Map<String, String>> templates = new TreeMap<>();
        for (String name : defined) {
            templates.put(name, new TreeMap<>());
        }
        files.contents().forEach((file, content) -> {
            Path path = Path.of(file);
            if (!file.endsWith(TemplateFiles.SUFFIX) || !path.startsWith(root) || root.relativize(path).getNameCount() < 2) {
                return;
            }
            Path relative = root.relativize(path);
            String appliance = relative.getName(0).toString();
            if (!defined.contains(appliance)) {
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, file + ":1:1: a template of appliance " + appliance
                        + ", which " + files.file() + " does not define");
            }
            References.check(appliance, References.located(file, content), resolved.get(appliance).options().keySet());
            templates.get(appliance).put(relative.subpath(1, relative.getNameCount()).toString(), content);
        });
        return templates;
    }

    /** The appliances with those they require first, otherwise in file order; a cycle is an error. */
    private static List<String> order(Iterable<String> names, Map<String, List<String>> requires,
            Map<String, Appliance> resolved) {
        List<String> remaining = new ArrayList<>();
        names.forEach(remaining::add);
        List<String> order = new ArrayList<>();
        while (!remaining.isEmpty()) {
            String next = remaining.stream()
                    .filter(name -> order.containsAll(requires.getOrDefault(name, List.of()))).findFirst().orElse(null);
            if (next == null) {
                String first = remaining.get(0);
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, resolved.get(first).origins().getOrDefault("requires",
                        "appliance " + first) + ": 'requires' makes a cycle among " + String.join(", ", remaining)
                        + ": nothing of it could start first");
            }
            order.add(next);
            remaining.remove(next);
        }
        return order;
    }

    private static Appliance withoutOrigins(Appliance a) {
        return new Appliance(a.name(), a.runtime(), a.build(), a.command(), a.env(), a.workdir(), a.stop(), a.options(),
                a.config(), null, a.parents(), a.services(), a.requires(), null, a.restart(), a.update(), a.onChange(),
                a.constraints());
    }
}
