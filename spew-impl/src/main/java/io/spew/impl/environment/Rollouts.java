package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.UpdatePolicy;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.StartOptions;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.environment.RollProgress.Phase;
import io.spew.impl.environment.RollProgressListeners.Versions;
import io.spew.impl.environment.RollStates.Rolling;
import io.spew.instance.Instance;
import io.spew.instance.Instances;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Versions and rolls of the appliances of environments: keeps a new {@link ApplianceVersion} when
 * what an appliance's instances are made from changes, rolls its instances to it (recording the
 * roll first, so that a restarted engine goes on with it), reverts a failed roll when the update
 * policy says so, promotes canaries and rolls back to an older version.
 */
final class Rollouts {
    private static final System.Logger LOG = System.getLogger(Rollouts.class.getName());

    private final ApplianceStore appliances;
    private final Instances instances;
    private final DesiredStates states;
    private final ApplianceHistory history;
    private final RollStates rolls;
    private final Converger converger;
    private final RollProgressListeners listener;

    Rollouts(ApplianceStore appliances, Instances instances, DesiredStates states, ApplianceHistory history,
            RollStates rolls, Converger converger, RollProgressListeners listener) {
        this.appliances = appliances;
        this.instances = instances;
        this.states = states;
        this.history = history;
        this.rolls = rolls;
        this.converger = converger;
        this.listener = listener;
    }

    /**
     * Keeps a new version of each appliance of the target whose fingerprint is not its last
     * version's, and records a roll to it. Runs after the target's appliances were stored.
     *
     * @param previous the applied appliances as they were before the target was stored
     * @param previousTemplates their template files as they were
     */
    void record(EnvironmentTarget target, Map<String, Appliance> previous,
            Map<String, Map<String, String>> previousTemplates, String by) {
        DesiredEnvironment desired = target.desired();
        for (String appliance : desired.order()) {
            String fingerprint = target.fingerprints().get(appliance);
            ApplianceVersion latest = history.latest(appliance).orElse(null);
            if (latest == null) {
                String was = madeBefore(desired, appliance);
                if (was == null) {
                    // nothing ran before: this is its first version, nothing to roll
                    history.add(appliance, version(target, appliance, fingerprint, by, "start"));
                    continue;
                }
                if (!was.equals(fingerprint) && previous.get(appliance) != null) {
                    Appliance before = previous.get(appliance);
                    history.add(appliance, new ApplianceVersion(1, was, before, before,
                            previousTemplates.get(appliance), Instant.now(), by, "found running"));
                }
                latest = history.latest(appliance).orElse(null);
            }
            if (latest == null || !latest.fingerprint().equals(fingerprint)) {
                latest = history.add(appliance, version(target, appliance, fingerprint, by, "start"));
            }
            boolean behind = desired.made().entrySet().stream().anyMatch(entry -> !entry.getValue().equals(fingerprint)
                    && entry.getKey().matches(java.util.regex.Pattern.quote(appliance) + "-[1-9][0-9]*"));
            if (behind) {
                // a roll promoted (or a rollback) under way stays without canaries
                boolean canaries = rolls.get(appliance).filter(rolling -> rolling.fingerprint().equals(fingerprint))
                        .map(Rolling::canaries).orElse(true);
                rolls.put(new Rolling(desired.file(), appliance, latest.version(), fingerprint, canaries));
            } else {
                rolls.remove(appliance); // one left by an environment stopped halfway through a roll
            }
        }
    }

    /** The fingerprint most instances of an appliance were made from, or null. */
    private static String madeBefore(DesiredEnvironment desired, String appliance) {
        return desired.made().entrySet().stream()
                .filter(entry -> entry.getKey().matches(java.util.regex.Pattern.quote(appliance) + "-[1-9][0-9]*"))
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    static int onVersion(DesiredEnvironment desired, String appliance, String fingerprint) {
        return (int) desired.made().entrySet().stream().filter(entry -> isMember(appliance, entry.getKey())
                && entry.getValue().equals(fingerprint)).count();
    }

    ApplianceVersion version(EnvironmentTarget target, String appliance, String fingerprint, String by,
            String note) {
        Appliance applied = target.toApply().stream().filter(a -> a.name().equals(appliance)).findFirst()
                .orElseGet(() -> appliances.find(appliance));
        Map<String, String> templates = target.templates().containsKey(appliance) ? target.templates().get(appliance)
                : storedTemplates(appliance);
        return new ApplianceVersion(1, fingerprint, target.resolved().get(appliance), applied, templates,
                Instant.now(), by, note);
    }

    /**
     * Converges an environment, rolling the appliances that have a roll under way to their version.
     * A failed roll with {@code auto_revert} rolls back to the version before and then fails.
     */
    void converge(DesiredEnvironment desired, Collection<String> dropped, StartOptions options) {
        converge(desired, dropped, options, null);
    }

    /**
     * Converges the instances of an environment placed on this host ({@code here}), or all of them when
     * {@code here} is null; with placements, {@code requires} is not awaited (its instances may run elsewhere).
     */
    void converge(DesiredEnvironment desired, Collection<String> dropped, StartOptions options, Predicate<String> here) {
        Map<String, String> fingerprints = new HashMap<>();
        Map<String, Versions> versions = new HashMap<>();
        for (String appliance : desired.order()) {
            rolls.get(appliance).ifPresent(rolling -> {
                fingerprints.put(appliance, rolling.fingerprint());
                versions.put(appliance, new Versions(versionBefore(desired, appliance, rolling), rolling.version()));
            });
        }
        List<Instance> before = instances.list();
        Steps steps = Convergence.of(desired, dropped, before, fingerprints);
        if (here != null) {
            steps = Convergence.placed(steps, desired, before, here);
        }
        DesiredEnvironment converging = here == null ? desired : new DesiredEnvironment(desired.file(),
                desired.environment(), countsHere(desired, here), desired.order(), Map.of(), desired.startedAt(),
                desired.made());
        Map<String, String> made = new ConcurrentHashMap<>(desired.made());
        boolean saved = false;
        try {
            List<String> paused = converger.converge(converging, steps, options,
                    work -> {
                        made.put(work.instance(), fingerprints.getOrDefault(work.appliance(),
                                currentFingerprint(work.appliance())));
                        if (fingerprints.containsKey(work.appliance())) {
                            saveMade(desired, made); // a restarted engine does not replace it again
                        }
                    },
                    appliance -> rolls.get(appliance).map(Rolling::canaries).orElse(false),
                    appliance -> versions.getOrDefault(appliance, Versions.UNKNOWN));
            fingerprints.keySet().stream().filter(appliance -> !paused.contains(appliance)).forEach(rolls::remove);
        } catch (RollFailedException e) {
            rolls.remove(e.appliance());
            saveMade(desired, made);
            saved = true;
            if (!policy(e.appliance()).autoRevert()) {
                throw e;
            }
            List<ApplianceVersion> history = this.history.list(e.appliance());
            if (history.size() < 2) {
                throw e;
            }
            ApplianceVersion back = history.get(history.size() - 2);
            ApplianceVersion failed = history.get(history.size() - 1);
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; reverting to version " + back.version());
            listener.progress(e.appliance(), Phase.REVERTED, new Versions(failed.version(), back.version()), 0,
                    desired.counts().getOrDefault(e.appliance(), 0), "reverting to version " + back.version()
                    + " (update.auto_revert)");
            rollTo(states.get(desired.file()).orElse(desired), back, "revert of " + failed.version(),
                    System.getProperty("user.name", "?"), options);
            throw new SpewException(e.code(), e.getMessage() + "; reverted to version " + back.version()
                    + " (update.auto_revert)", e);
        } finally {
            if (!saved) {
                saveMade(desired, made);
            }
        }
    }

    /** How many instances of each appliance are placed here: what this host's rolls count. */
    private static Map<String, Integer> countsHere(DesiredEnvironment desired, Predicate<String> here) {
        Map<String, Integer> counts = new HashMap<>();
        desired.counts().forEach((appliance, count) -> {
            int placed = 0;
            for (int index = 1; index <= count; index++) {
                placed += here.test(appliance + "-" + index) ? 1 : 0;
            }
            counts.put(appliance, placed);
        });
        return counts;
    }

    /**
     * The version the instances of an appliance not yet rolled run: the last version made from the
     * fingerprint most of them were made from, or null.
     */
    Integer versionBefore(DesiredEnvironment desired, String appliance, Rolling rolling) {
        String before = desired.made().entrySet().stream()
                .filter(entry -> isMember(appliance, entry.getKey()) && !entry.getValue().equals(rolling.fingerprint()))
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return history.list(appliance).stream()
                .filter(version -> version.fingerprint().equals(before) && version.version() != rolling.version())
                .map(ApplianceVersion::version).reduce((first, second) -> second).orElse(null);
    }

    static boolean isMember(String appliance, String instance) {
        return instance.matches(java.util.regex.Pattern.quote(appliance) + "-[1-9][0-9]*");
    }

    private synchronized void saveMade(DesiredEnvironment desired, Map<String, String> made) {
        Map<String, String> kept = new TreeMap<>(made);
        kept.keySet().retainAll(instances.list().stream().map(Instance::name).toList());
        DesiredEnvironment current = states.get(desired.file()).orElse(null);
        if (current != null) {
            states.put(current.withMade(kept));
        }
    }

    /** What instances made now of an appliance are made from: its last version's fingerprint, or null. */
    private String currentFingerprint(String appliance) {
        return history.latest(appliance).map(ApplianceVersion::fingerprint).orElse(null);
    }

    /** Applies an older version again as a new version, and rolls the appliance's instances to it. */
    void rollTo(DesiredEnvironment desired, ApplianceVersion version, String note, String by, StartOptions options) {
        String appliance = version.applied().name();
        appliances.store(List.of(version.applied()));
        appliances.storeTemplates(appliance, version.templates());
        ApplianceVersion added = history.add(appliance, new ApplianceVersion(1, version.fingerprint(),
                version.resolved(), version.applied(), version.templates(), Instant.now(), by, note));
        rolls.put(new Rolling(desired.file(), appliance, added.version(), added.fingerprint(), false));
        converge(desired, List.of(), options);
    }

    /** Lets a roll waiting after its canaries go on. */
    void promote(String appliance, StartOptions options) {
        Rolling rolling = rolls.get(appliance).filter(Rolling::canaries).orElseThrow(() -> new SpewException(
                ErrorCode.INVALID_STATE, "appliance " + appliance + " has no roll waiting for a promotion:"
                + " 'spew history " + appliance + "' shows its versions"));
        rolls.put(new Rolling(rolling.file(), appliance, rolling.version(), rolling.fingerprint(), false));
        DesiredEnvironment desired = environmentOf(appliance);
        listener.progress(appliance, Phase.PROMOTED, new Versions(versionBefore(desired, appliance, rolling),
                rolling.version()), onVersion(desired, appliance, rolling.fingerprint()),
                desired.counts().getOrDefault(appliance, 0), null);
        converge(desired, List.of(), options);
    }

    /** The stored environment that has instances of an appliance, or NOT_FOUND. */
    DesiredEnvironment environmentOf(String appliance) {
        return states.list().stream().filter(desired -> desired.counts().containsKey(appliance)).findFirst()
                .orElseThrow(() -> notInAnEnvironment(appliance));
    }

    static SpewException notInAnEnvironment(String appliance) {
        return new SpewException(ErrorCode.APPLIANCE_NOT_FOUND, "appliance " + appliance
                + " is in no environment started: 'spew start FILE' starts one");
    }

    /** The update policy of an appliance as applied now. */
    UpdatePolicy policy(String appliance) {
        return policies(appliances).apply(appliance);
    }

    /**
     * Restarts the running instances of an appliance a few at a time, under its update policy.
     *
     * @param placed whether this host holds a cluster's share of the appliance's instances: its roll counts those
     */
    void restart(String appliance, boolean placed) {
        DesiredEnvironment desired = environmentOf(appliance);
        List<Instance> running = Convergence.members(appliance, instances.list()).values().stream()
                .filter(instance -> instance.state().isActive()).toList();
        Integer version = history.latest(appliance).map(ApplianceVersion::version).orElse(null);
        converger.restart(appliance, new Versions(version, version), running,
                placed ? running.size() : desired.counts().getOrDefault(appliance, 0), policy(appliance));
    }

    /** The template files stored for an appliance now, by relative path. */
    Map<String, String> storedTemplates(String appliance) {
        Path root = appliances.templates(appliance);
        Map<String, String> templates = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return templates;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                templates.put(root.relativize(path).toString(), Files.readString(path, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return templates;
    }

    static Function<String, UpdatePolicy> policies(ApplianceStore appliances) {
        return appliance -> {
            try {
                return appliances.resolve(appliance).update();
            } catch (SpewException e) {
                return UpdatePolicy.DEFAULT;
            }
        };
    }
}
