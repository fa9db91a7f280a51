package io.spew.cli;

import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One instance as {@code spew ps --json} prints it: the {@link Instance} record flattened, with
 * its name, appliance and runtime beside its id.
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
record InstanceView(
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
    static final List<String> LIMITS = List.of("memory", "cpus", "pids");

    /** The limits of an instance, from its runtime settings. */
    static Map<String, String> limits(Instance instance) {
        Map<String, String> limits = new TreeMap<>();
        for (String key : LIMITS) {
            String value = instance.spec().config().get(key);
            if (value != null) {
                limits.put(key, value);
            }
        }
        return limits;
    }

    static InstanceView of(Instance instance) {
        return new InstanceView(instance.id().value(), instance.name(), instance.appliance(), instance.runtime(),
                instance.spec().build(), limits(instance), instance.host(), instance.state(), instance.health(), instance.pid(), instance.restarts(),
                instance.exitStatus() == null ? null : instance.exitStatus().code(),
                instance.exitStatus() == null ? null : instance.exitStatus().signal(),
                instance.createdAt(), instance.startedAt(), instance.finishedAt(), instance.message());
    }
}
