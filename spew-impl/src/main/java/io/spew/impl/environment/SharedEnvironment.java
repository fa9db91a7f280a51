package io.spew.impl.environment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.build.BuildId;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.EnvironmentFiles;
import io.spew.impl.cluster.Placement;
import io.spew.impl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An environment file as a cluster keeps it in its replicated state (key {@value #PREFIX}{@code <file>}): its
 * text, so that every host resolves it the same way, what each appliance needs of a host, and whether it was
 * stopped. Its placements are kept apart ({@value #PLACEMENT_PREFIX}{@code <file>}, a {@link Placement.Result}).
 *
 * @param files the environment file and its includes
 * @param environment the environment started, or null for the file's own counts
 * @param demands each appliance with its count and needs, in the order they start
 * @param requires what each appliance requires
 * @param startedAt when it was last started or stopped
 * @param user who did
 * @param stopped whether it was stopped
 * @param remove whether its instances go too, when stopped
 * @param builds the build of each appliance, as the host that started it resolved it: a host placed an instance
 *     of a build it lacks fetches it by this id ({@link io.spew.impl.cluster.BuildTransfer#ensure})
 * @param versions the versions of each appliance the file ran, the cluster's: each host rolls its instances to the
 *     last (a rollback adds an older one again), past the canaries once promoted, and restarts them when asked
 */
record SharedEnvironment(EnvironmentFiles files, String environment, List<Placement.Demand> demands,
        Map<String, List<String>> requires, Instant startedAt, String user, boolean stopped, boolean remove,
        Map<String, BuildId> builds, Map<String, SharedVersions> versions) {
    static final String PREFIX = "environment/";
    static final String PLACEMENT_PREFIX = "placement/";

    SharedEnvironment {
        requireNonNull(files, "files is null");
        demands = List.copyOf(demands);
        requires = new TreeMap<>(requires == null ? Map.of() : requires);
        builds = new TreeMap<>(builds == null ? Map.of() : builds);
        versions = new TreeMap<>(versions == null ? Map.of() : versions);
        requireNonNull(startedAt, "startedAt is null");
    }

    String file() {
        return files.file();
    }

    /** The same, stopped now. */
    SharedEnvironment stoppedBy(String by, boolean andRemove) {
        return new SharedEnvironment(files, environment, demands, requires, Instant.now(), by, true, andRemove,
                builds, versions);
    }

    /** The same with the versions of {@code appliance} changed. */
    SharedEnvironment withVersions(String appliance, SharedVersions changed) {
        Map<String, SharedVersions> all = new TreeMap<>(versions);
        all.put(appliance, changed);
        return new SharedEnvironment(files, environment, demands, requires, startedAt, user, stopped, remove, builds,
                all);
    }

    /** Whether it has instances of {@code appliance}. */
    boolean has(String appliance) {
        return demands.stream().anyMatch(demand -> demand.appliance().equals(appliance) && demand.count() > 0);
    }

    /** The hosts {@code appliance}'s instances are placed on. */
    Set<String> hostsOf(Placement.Result placement, String appliance) {
        Set<String> hosts = new TreeSet<>();
        placement.placements().forEach((name, host) -> {
            if (name.matches(Pattern.quote(appliance) + "-[1-9][0-9]*")) {
                hosts.add(host);
            }
        });
        return hosts;
    }

    /** The appliances with an instance placed on {@code host}, in start order. */
    List<String> appliancesOn(Placement.Result placement, String host) {
        List<String> here = new ArrayList<>();
        for (Placement.Demand demand : demands) {
            for (int index = 1; index <= demand.count(); index++) {
                if (host.equals(placement.placements().get(demand.appliance() + "-" + index))) {
                    here.add(demand.appliance());
                    break;
                }
            }
        }
        return here;
    }

    /** The instance names it wants, in start order. */
    List<String> instanceNames() {
        List<String> names = new ArrayList<>();
        demands.forEach(demand -> {
            for (int index = 1; index <= demand.count(); index++) {
                names.add(demand.appliance() + "-" + index);
            }
        });
        return names;
    }

    DesiredEnvironment desired() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        demands.forEach(demand -> counts.put(demand.appliance(), demand.count()));
        return new DesiredEnvironment(file(), environment == null ? EnvironmentTarget.DEFAULT : environment, counts,
                demands.stream().map(Placement.Demand::appliance).toList(), requires, startedAt, Map.of());
    }

    String encode() {
        return write(this);
    }

    static SharedEnvironment decode(String json) {
        return read(json, SharedEnvironment.class);
    }

    /** Every environment in a snapshot of the replicated state, by file. */
    static SortedMap<String, SharedEnvironment> all(SortedMap<String, String> state) {
        SortedMap<String, SharedEnvironment> all = new TreeMap<>();
        state.tailMap(PREFIX).forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                all.put(key.substring(PREFIX.length()), decode(value));
            }
        });
        return all;
    }

    /** The placement of an environment in a snapshot of the replicated state. */
    static Optional<Placement.Result> placement(SortedMap<String, String> state, String file) {
        return Optional.ofNullable(state.get(PLACEMENT_PREFIX + file))
                .map(json -> read(json, Placement.Result.class));
    }

    static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("the cluster's state holds a " + type.getSimpleName()
                    + " that does not parse: " + e.getMessage(), e);
        }
    }
}
