package io.spew.cli;

import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.time.Instant;

/**
 * One instance as {@code spew ps --json} prints it: the {@link Instance} record flattened, with
 * its name, appliance and runtime beside its id.
 *
 * @param id its id
 * @param name its name
 * @param appliance the appliance it runs
 * @param runtime the runtime running it
 * @param host the id of its host
 * @param state its state, in lower case
 * @param health none, healthy or unhealthy
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
    static InstanceView of(Instance instance) {
        return new InstanceView(instance.id().value(), instance.name(), instance.appliance(), instance.runtime(),
                instance.host(), instance.state(), instance.health(), instance.pid(), instance.restarts(),
                instance.exitStatus() == null ? null : instance.exitStatus().code(),
                instance.exitStatus() == null ? null : instance.exitStatus().signal(),
                instance.createdAt(), instance.startedAt(), instance.finishedAt(), instance.message());
    }
}
