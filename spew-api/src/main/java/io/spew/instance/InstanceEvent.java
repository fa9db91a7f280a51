package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One change of one instance: its state, its health or its restart count. {@link Instances#onEvent}
 * announces them in the order they happened to each instance, and {@code GET /api/v1/events} and
 * {@code spew events} stream them. The creation of an instance is a {@link Type#STATE} event to
 * {@code created} without a previous value. Besides what changed, each event carries the
 * instance's state, health and restart count after the change.
 *
 * @param time when the change was announced
 * @param host the id of the host that runs the instance
 * @param instance the instance's id
 * @param name the instance's name
 * @param appliance the appliance it runs
 * @param type what changed
 * @param state its state after the change
 * @param health its health after the change ({@code none}, {@code healthy} or {@code unhealthy})
 * @param restarts its restart count after the change
 * @param previous the value before the change, as {@link #value()} shows it; null on creation
 * @param exitStatus how its last process ended, or null if none ended yet
 * @param message a word on the change (why it failed to start, for example), or null
 */
public record InstanceEvent(
        Instant time,
        String host,
        InstanceId instance,
        String name,
        String appliance,
        Type type,
        InstanceState state,
        String health,
        int restarts,
        String previous,
        ExitStatus exitStatus,
        String message) {
    /** What an event says changed. Shown in lower case. */
    public enum Type {
        /** The state changed ({@link InstanceEvent#state()}); also the creation of an instance. */
        STATE,
        /** The result of the health checks changed ({@link InstanceEvent#health()}). */
        HEALTH,
        /** It was restarted: the restart count grew ({@link InstanceEvent#restarts()}). */
        RESTART;

        public static Type parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public InstanceEvent {
        requireNonNull(time, "time is null");
        requireNonNull(host, "host is null");
        requireNonNull(instance, "instance is null");
        requireNonNull(name, "name is null");
        requireNonNull(appliance, "appliance is null");
        requireNonNull(type, "type is null");
        requireNonNull(state, "state is null");
        requireNonNull(health, "health is null");
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts is negative: " + restarts);
        }
    }

    /** An event of {@code type} about {@code next}, the snapshot after the change. */
    public static InstanceEvent of(Instant time, Instance next, Type type, String previous) {
        return new InstanceEvent(time, next.host(), next.id(), next.name(), next.appliance(), type, next.state(),
                next.health(), next.restarts(), previous, next.exitStatus(), next.message());
    }

    /** The new value of what changed, as text: the state, the health or the restart count. */
    public String value() {
        switch (type) {
            case STATE:
                return state.toString();
            case HEALTH:
                return health;
            default:
                return Integer.toString(restarts);
        }
    }
}
