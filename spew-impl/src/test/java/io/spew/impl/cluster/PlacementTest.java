package io.spew.impl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.impl.cluster.Placement.Candidate;
import io.spew.impl.cluster.Placement.Demand;
import io.spew.impl.cluster.Placement.Result;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private static Candidate host(String id, Map<String, String> labels, int capacity, String... runtimes) {
        return new Candidate(id, labels, Set.of(runtimes.length == 0 ? new String[] {"shell"} : runtimes), capacity);
    }

    private static Map<String, Long> perHost(Result result) {
        return result.placements().values().stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    @Test
    void instancesSpreadEvenlyOverTheHostsUp() {
        List<Candidate> hosts = List.of(host("a", Map.of(), UNLIMITED), host("b", Map.of(), UNLIMITED),
                host("c", Map.of(), UNLIMITED));

        Result result = Placement.place(hosts, List.of(new Demand("web", 6, "shell", null),
                new Demand("db", 2, null, null)), Map.of());

        assertThat(result.unplaced()).isEmpty();
        assertThat(result.placements()).hasSize(8);
        assertThat(result.placements()).containsEntry("web-1", "a").containsEntry("web-2", "b")
                .containsEntry("web-3", "c").containsEntry("web-4", "a");
        assertThat(perHost(result).values()).allMatch(count -> count >= 2 && count <= 3);
        // each appliance spreads on its own: the two db instances are on two hosts
        assertThat(Set.of(result.placements().get("db-1"), result.placements().get("db-2"))).hasSize(2);
    }

    @Test
    void placedInstancesStayWhereTheyAreAndOnlyTheNewOnesMove() {
        List<Candidate> hosts = List.of(host("a", Map.of(), UNLIMITED), host("b", Map.of(), UNLIMITED),
                host("c", Map.of(), UNLIMITED));
        Map<String, String> before = Map.of("web-1", "c", "web-2", "c", "web-9", "a");

        Result result = Placement.place(hosts, List.of(new Demand("web", 4, "shell", null)), before);

        assertThat(result.placements()).containsEntry("web-1", "c").containsEntry("web-2", "c")
                .doesNotContainKey("web-9").containsEntry("web-3", "a").containsEntry("web-4", "b");
    }

    @Test
    void theInstancesOfAHostNoLongerUpArePlacedOnTheOthers() {
        Map<String, String> before = Map.of("web-1", "a", "web-2", "b", "web-3", "c");

        Result result = Placement.place(List.of(host("a", Map.of(), UNLIMITED), host("b", Map.of(), UNLIMITED)),
                List.of(new Demand("web", 3, "shell", null)), before);

        assertThat(result.placements()).containsEntry("web-1", "a").containsEntry("web-2", "b")
                .containsEntry("web-3", "a");
    }

    @Test
    void constraintsOnLabelsAndRuntimesChooseTheHosts() {
        List<Candidate> hosts = List.of(host("a", Map.of("zone", "east"), UNLIMITED, "shell"),
                host("b", Map.of("zone", "west"), UNLIMITED, "shell", "nspawn"),
                host("c", Map.of("zone", "west"), UNLIMITED, "shell"));

        Result result = Placement.place(hosts, List.of(new Demand("west", 4, null, Map.of("zone", "west")),
                new Demand("box", 2, "nspawn", null), new Demand("any", 2, null, Map.of("runtime", "nspawn")),
                new Demand("none", 1, "shell", Map.of("zone", "north"))), Map.of());

        assertThat(perHostOf(result, "west-")).containsOnlyKeys("b", "c");
        assertThat(perHostOf(result, "box-")).containsOnlyKeys("b");
        assertThat(perHostOf(result, "any-")).containsOnlyKeys("b");
        assertThat(result.unplaced()).containsOnlyKeys("none-1");
        assertThat(result.unplaced().get("none-1")).contains("no host that is up has runtime shell",
                "zone=north");
    }

    @Test
    void aHostTakesNoMoreThanItsCapacity() {
        List<Candidate> hosts = List.of(host("a", Map.of(), 1), host("b", Map.of(), 2));

        Result result = Placement.place(hosts, List.of(new Demand("web", 4, "shell", null)),
                Map.of("web-1", "a", "web-2", "a"));

        assertThat(perHost(result)).containsEntry("a", 1L).containsEntry("b", 2L);
        assertThat(result.placements()).containsEntry("web-1", "a");
        assertThat(result.unplaced()).containsOnlyKeys("web-4");
        assertThat(result.unplaced().get("web-4")).contains("full");
    }

    @Test
    void withoutHostsNothingIsPlaced() {
        Result result = Placement.place(List.of(), List.of(new Demand("web", 2, "shell", null)), Map.of("web-1", "a"));

        assertThat(result.placements()).isEmpty();
        assertThat(result.unplaced()).containsOnlyKeys("web-1", "web-2");
        assertThat(result.unplaced().values()).containsOnly("no host is up");
    }

    private static Map<String, Long> perHostOf(Result result, String prefix) {
        Collection<String> hosts = result.placements().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
        return hosts.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }
}
