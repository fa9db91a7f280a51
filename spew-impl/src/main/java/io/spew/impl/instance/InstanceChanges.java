package io.spew.impl.instance;

import io.spew.instance.Instance;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceEvent.Type;
import io.spew.instance.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Derives the events of one change of an instance from its snapshots before and after. */
final class InstanceChanges {
    private InstanceChanges() {}

    /**
     * The events that lead from {@code previous} to {@code next}: a restart (the count grew), then
     * the new state, then the new health; none when neither changed. A null {@code previous} means
     * {@code next} was just created: a {@code created} state event without a previous value, then
     * the state {@code next} is in if it is not {@code created}.
     */
    static List<InstanceEvent> between(Instance previous, Instance next, Instant time) {
        List<InstanceEvent> events = new ArrayList<>(2);
        if (previous == null) {
            events.add(new InstanceEvent(time, next.host(), next.id(), next.name(), next.appliance(), Type.STATE,
                    InstanceState.CREATED, next.health(), next.restarts(), null, null, null));
            if (next.state() != InstanceState.CREATED) {
                events.add(InstanceEvent.of(time, next, Type.STATE, InstanceState.CREATED.toString()));
            }
            return events;
        }
        if (!previous.id().equals(next.id())) {
            throw new IllegalArgumentException("snapshots of two instances: " + previous.id() + " and " + next.id());
        }
        if (next.restarts() > previous.restarts()) {
            events.add(InstanceEvent.of(time, next, Type.RESTART, Integer.toString(previous.restarts())));
        }
        if (next.state() != previous.state()) {
            events.add(InstanceEvent.of(time, next, Type.STATE, previous.state().toString()));
        }
        if (!next.health().equals(previous.health())) {
            events.add(InstanceEvent.of(time, next, Type.HEALTH, previous.health()));
        }
        return events;
    }
}
