package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A snapshot of one instance.
 *
 * @param id its id
 * @param spec what it runs
 * @param host the id of the host that runs it
 * @param state its state
 * @param health {@code none} when its appliance has no health check or it does not run, else
 *     {@code starting} (no verdict yet), {@code healthy} or {@code unhealthy}: see
 *     {@link io.spew.service.HealthCheck#NONE} and the other values there
 * @param pid the pid of its main process while it may run, else null
 * @param restarts how many times it was restarted
 * @param exitStatus how its last process ended, or null if none ended yet
 * @param createdAt when it was created
 * @param startedAt when its last process started, or null
 * @param finishedAt when its last process ended, or null
 * @param message a word on the last state change (why it failed to start, for example), or null
 */
public record Instance(
        InstanceId id,
        InstanceSpec spec,
        String host,
        InstanceState state,
        String health,
        Long pid,
        int restarts,
        ExitStatus exitStatus,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String message) {
    public Instance {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(host, "host is null");
        requireNonNull(state, "state is null");
        requireNonNull(health, "health is null");
        requireNonNull(createdAt, "createdAt is null");
    }

    public String name() {
        return spec.name();
    }

    public String appliance() {
        return spec.appliance();
    }

    public String runtime() {
        return spec.runtime();
    }
}
