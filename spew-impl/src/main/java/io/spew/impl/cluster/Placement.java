package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the instances of the cluster's environments run: a pure function of the hosts that are up, what each
 * appliance needs, and the placements made before. An instance stays where it is while that host is up and
 * fits; the others go, appliance by appliance in order and index by index, to the host that fits with the
 * fewest instances of that appliance, then the fewest in all, then the smallest id (spread). A host fits an
 * appliance when it has the appliance's runtime (any runtime when the appliance names none), carries every
 * label of its {@code constraints} (and the runtime of a constraint {@value #RUNTIME}), and has fewer instances
 * than its capacity.
 */
public final class Placement {
    /** The constraint key that names a runtime the host must have, not a label. */
    public static final String RUNTIME = "runtime";

    private Placement() {}

    /**
     * A host that may run instances.
     *
     * @param id its id
     * @param labels its labels
     * @param runtimes the runtimes it has
     * @param capacity the most instances it takes, or {@link Integer#MAX_VALUE}
     */
    public record Candidate(String id, Map<String, String> labels, Set<String> runtimes, int capacity) {
        public Candidate {
            requireNonNull(id, "id is null");
            labels = Map.copyOf(labels);
            runtimes = Set.copyOf(runtimes);
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity is negative: " + capacity);
            }
        }

        boolean fits(Demand demand) {
            if (demand.runtime() == null ? runtimes.isEmpty() : !runtimes.contains(demand.runtime())) {
                return false;
            }
            return demand.constraints().entrySet().stream().allMatch(constraint -> RUNTIME.equals(constraint.getKey())
                    ? runtimes.contains(constraint.getValue())
                    : constraint.getValue().equals(labels.get(constraint.getKey())));
        }
    }

    /**
     * The instances of one appliance: {@code <appliance>-1} to {@code <appliance>-<count>}.
     *
     * @param appliance its name
     * @param count how many
     * @param runtime the runtime it names, or null
     * @param constraints labels a host must carry, with these values ({@value Placement#RUNTIME}: a runtime it must have)
     */
    public record Demand(String appliance, int count, String runtime, Map<String, String> constraints) {
        public Demand {
            requireNonNull(appliance, "appliance is null");
            if (count < 0) {
                throw new IllegalArgumentException("count is negative: " + count);
            }
            constraints = Map.copyOf(constraints == null ? Map.of() : constraints);
        }
    }

    /**
     * The placements, and why the instances left out could not be placed.
     *
     * @param placements host id by instance name, sorted
     * @param unplaced why, by instance name, for instances no host fits
     */
    public record Result(SortedMap<String, String> placements, SortedMap<String, String> unplaced) {
        public Result {
            placements = Collections.unmodifiableSortedMap(new TreeMap<>(placements));
            unplaced = Collections.unmodifiableSortedMap(new TreeMap<>(unplaced));
        }
    }

    /**
     * @param hosts the hosts that are up
     * @param demands every appliance of every environment, in the order they start
     * @param current the placements made before, host id by instance name
     */
    public static Result place(List<Candidate> hosts, List<Demand> demands, Map<String, String> current) {
        Map<String, Candidate> byId = new TreeMap<>();
        hosts.forEach(host -> byId.put(host.id(), host));
        Map<String, Integer> total = new HashMap<>();
        SortedMap<String, String> placed = new TreeMap<>();
        List<Demand> kept = new ArrayList<>();
        for (Demand demand : demands) {
            for (int index = 1; index <= demand.count(); index++) {
                String name = demand.appliance() + "-" + index;
                String was = current.get(name);
                Candidate host = was == null ? null : byId.get(was);
                if (host != null && host.fits(demand) && total.getOrDefault(host.id(), 0) < host.capacity()) {
                    placed.put(name, host.id());
                    total.merge(host.id(), 1, Integer::sum);
                }
            }
            kept.add(demand);
        }
        SortedMap<String, String> unplaced = new TreeMap<>();
        for (Demand demand : kept) {
            Map<String, Integer> ofAppliance = new HashMap<>();
            for (int index = 1; index <= demand.count(); index++) {
                String host = placed.get(demand.appliance() + "-" + index);
                if (host != null) {
                    ofAppliance.merge(host, 1, Integer::sum);
                }
            }
            for (int index = 1; index <= demand.count(); index++) {
                String name = demand.appliance() + "-" + index;
                if (placed.containsKey(name)) {
                    continue;
                }
                Candidate best = null;
                for (Candidate host : byId.values()) {
                    if (!host.fits(demand) || total.getOrDefault(host.id(), 0) >= host.capacity()) {
                        continue;
                    }
                    if (best == null || fewer(host, best, ofAppliance, total)) {
                        best = host;
                    }
                }
                if (best == null) {
                    unplaced.put(name, why(demand, byId.values()));
                    continue;
                }
                placed.put(name, best.id());
                ofAppliance.merge(best.id(), 1, Integer::sum);
                total.merge(best.id(), 1, Integer::sum);
            }
        }
        return new Result(placed, unplaced);
    }

    private static boolean fewer(Candidate host, Candidate best, Map<String, Integer> ofAppliance,
            Map<String, Integer> total) {
        int byAppliance = Integer.compare(ofAppliance.getOrDefault(host.id(), 0), ofAppliance.getOrDefault(best.id(), 0));
        if (byAppliance != 0) {
            return byAppliance < 0;
        }
        int byTotal = Integer.compare(total.getOrDefault(host.id(), 0), total.getOrDefault(best.id(), 0));
        return byTotal != 0 ? byTotal < 0 : host.id().compareTo(best.id()) < 0;
    }

    private static String why(Demand demand, Iterable<Candidate> hosts) {
        boolean any = false;
        for (Candidate host : hosts) {
            any = true;
            if (host.fits(demand)) {
                return "every host that fits appliance " + demand.appliance() + " is full (capacity)";
            }
        }
        if (!any) {
            return "no host is up";
        }
        return "no host that is up has " + (demand.runtime() == null ? "a runtime" : "runtime " + demand.runtime())
                + (demand.constraints().isEmpty() ? "" : " and labels " + new TreeMap<>(demand.constraints()));
    }
}
