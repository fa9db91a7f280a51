package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One instance as {@code GET /api/v1/instances} lists it and {@code spew ps --json} prints it: the
 * {@link Instance} record flattened, without what its spec repeats for every instance of an
 * appliance (command, env, stop and restart policies: {@code GET /api/v1/instances/{ref}} has
 * them), times to the millisecond. The API leaves out null values and empty maps.
 *
 * @param id its id
 * @param name its name
 * @param appliance the appliance it runs
 * @param runtime the runtime running it
 * @param build the id of the build it runs, or null
 * @param limits its resource limits ({@code memory}, {@code cpus}, {@code pids}), as its appliance set them
 * @param host the id of its host
 * @param state its state, in lower case
 * @param health none, starting, healthy or unhealthy
 * @param pid its main process, or null
 * @param restarts how often it was restarted
 * @param exitCode how its last process exited, or null
 * @param exitSignal the signal that ended its last process, or null
 * @param createdAt when it was created
 * @param startedAt when its last process started, or null
 * @param finishedAt when its last process ended, or null
 * @param message a word on its last state change, or null
 */
public record InstanceSummary(
        String id,
        String name,
        String appliance,
        String runtime,
        String build,
        Map<String, String> limits,
        String host,
        InstanceState state,
        String health,
        Long pid,
        int restarts,
        Integer exitCode,
        String exitSignal,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String message) {
    /** The runtime settings that are resource limits. */
    public static final List<String> LIMITS = List.of("memory", "cpus", "pids");

    public InstanceSummary {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        limits = limits == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(limits));
    }

    /** The summary of an instance. */
    public static InstanceSummary of(Instance instance) {
        return new InstanceSummary(instance.id().value(), instance.name(), instance.appliance(), instance.runtime(),
                instance.spec().build(), limits(instance), instance.host(), instance.state(), instance.health(),
                instance.pid(), instance.restarts(),
                instance.exitStatus() == null ? null : instance.exitStatus().code(),
                instance.exitStatus() == null ? null : instance.exitStatus().signal(),
                millis(instance.createdAt()), millis(instance.startedAt()), millis(instance.finishedAt()),
                instance.message());
    }

    private static Map<String, String> limits(Instance instance) {
        Map<String, String> limits = new TreeMap<>();
        for (String key : LIMITS) {
            String value = instance.spec().config().get(key);
            if (value != null) {
                limits.put(key, value);
            }
        }
        return limits;
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
