package io.spew.impl.environment;

import io.spew.environment.DesiredEnvironment;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.instance.Instance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The steps from the instances as they are to a desired environment: first, in reverse
 * {@code requires} order, stop and remove the instances beyond the counts (highest indexes first);
 * then, in {@code requires} order, create and start those missing and start those that ended.
 * Only instances named {@code <appliance>-<index>} belong to an environment.
 */
final class Convergence {
    private Convergence() {}

    /** The work on one instance. */
    record Work(String appliance, String instance, int index, List<PlanStep> steps) {}

    /** Removals in the order they run, then the starts of each appliance in {@code requires} order. */
    record Steps(List<Work> removals, Map<String, List<Work>> starts) {
        List<PlanStep> all() {
            List<PlanStep> all = new ArrayList<>();
            removals.forEach(work -> all.addAll(work.steps()));
            starts.values().forEach(works -> works.forEach(work -> all.addAll(work.steps())));
            return all;
        }
    }

    /**
     * @param dropped appliances the environment had before and has no longer: all their instances go
     * @param fingerprints what each appliance's instances are made from now, or null not to replace
     *     any: an instance made from something else ({@link DesiredEnvironment#made()}) is replaced;
     *     those of an appliance without a fingerprint are not
     */
    static Steps of(DesiredEnvironment desired, Collection<String> dropped, List<Instance> instances,
            Map<String, String> fingerprints) {
        List<Work> removals = new ArrayList<>();
        List<String> reverse = new ArrayList<>(dropped);
        List<String> order = new ArrayList<>(desired.order());
        Collections.reverse(order);
        reverse.addAll(order);
        for (String appliance : reverse) {
            int count = desired.counts().getOrDefault(appliance, 0);
            members(appliance, instances).descendingMap().forEach((index, instance) -> {
                if (index > count) {
                    removals.add(removal(appliance, instance, index, true));
                }
            });
        }
        Map<String, List<Work>> starts = new LinkedHashMap<>();
        for (String appliance : desired.order()) {
            TreeMap<Integer, Instance> members = members(appliance, instances);
            List<Work> works = new ArrayList<>();
            for (int index = 1; index <= desired.counts().getOrDefault(appliance, 0); index++) {
                String name = appliance + "-" + index;
                Instance existing = members.get(index);
                if (existing == null) {
                    works.add(new Work(appliance, name, index, List.of(new PlanStep(PlanAction.CREATE, name, null),
                            new PlanStep(PlanAction.START, name, null))));
                } else if (fingerprints != null && fingerprints.get(appliance) != null && desired.made().containsKey(name)
                        && !desired.made().get(name).equals(fingerprints.get(appliance))) {
                    List<PlanStep> steps = new ArrayList<>();
                    if (existing.state().isActive()) {
                        steps.add(new PlanStep(PlanAction.STOP, name, "appliance changed"));
                    }
                    steps.add(new PlanStep(PlanAction.REMOVE, name, "appliance changed"));
                    steps.add(new PlanStep(PlanAction.CREATE, name, "appliance changed"));
                    steps.add(new PlanStep(PlanAction.START, name, null));
                    works.add(new Work(appliance, name, index, steps));
                } else if (!existing.state().isActive()) {
                    works.add(new Work(appliance, name, index,
                            List.of(new PlanStep(PlanAction.START, name, "was " + existing.state().toString().toLowerCase()))));
                }
            }
            starts.put(appliance, works);
        }
        return new Steps(removals, starts);
    }

    /**
     * Only the work on the instances placed on this host ({@code here}): the starts of others are left out, and
     * an instance of the environment that is on this host but placed elsewhere or nowhere is stopped and removed.
     */
    static Steps placed(Steps steps, DesiredEnvironment desired, List<Instance> instances, Predicate<String> here) {
        List<Work> removals = new ArrayList<>(steps.removals());
        Set<String> removing = new HashSet<>();
        removals.forEach(work -> removing.add(work.instance()));
        List<String> reverse = new ArrayList<>(desired.order());
        Collections.reverse(reverse);
        for (String appliance : reverse) {
            members(appliance, instances).descendingMap().forEach((index, instance) -> {
                if (!here.test(instance.name()) && !removing.contains(instance.name())) {
                    removals.add(removal(appliance, instance, index, true));
                }
            });
        }
        Map<String, List<Work>> starts = new LinkedHashMap<>();
        steps.starts().forEach((appliance, works) -> starts.put(appliance,
                works.stream().filter(work -> here.test(work.instance())).toList()));
        return new Steps(removals, starts);
    }

    /** Stopping (when it may run) and, when asked, removing all instances of the appliances, in reverse order. */
    static List<Work> stopping(List<String> order, List<Instance> instances, boolean remove) {
        List<String> reverse = new ArrayList<>(order);
        Collections.reverse(reverse);
        List<Work> works = new ArrayList<>();
        for (String appliance : reverse) {
            members(appliance, instances).descendingMap().forEach((index, instance) -> {
                Work work = removal(appliance, instance, index, remove);
                if (!work.steps().isEmpty()) {
                    works.add(work);
                }
            });
        }
        return works;
    }

    private static Work removal(String appliance, Instance instance, int index, boolean remove) {
        List<PlanStep> steps = new ArrayList<>();
        if (instance.state().isActive()) {
            steps.add(new PlanStep(PlanAction.STOP, instance.name(), null));
        }
        if (remove) {
            steps.add(new PlanStep(PlanAction.REMOVE, instance.name(), null));
        }
        return new Work(appliance, instance.name(), index, steps);
    }

    /** The instances named {@code <appliance>-<index>} of an appliance, by index. */
    static TreeMap<Integer, Instance> members(String appliance, List<Instance> instances) {
        TreeMap<Integer, Instance> members = new TreeMap<>();
        for (Instance instance : instances) {
            index(appliance, instance).ifPresent(index -> members.put(index, instance));
        }
        return members;
    }

    private static Optional<Integer> index(String appliance, Instance instance) {
        String prefix = appliance + "-";
        if (!instance.appliance().equals(appliance) || !instance.name().startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = instance.name().substring(prefix.length());
        return rest.matches("[1-9][0-9]{0,8}") ? Optional.of(Integer.parseInt(rest)) : Optional.empty();
    }

}
