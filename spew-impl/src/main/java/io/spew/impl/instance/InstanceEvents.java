package io.spew.impl.instance;

import io.spew.Registration;
import io.spew.instance.Instance;
import io.spew.instance.InstanceEvent;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of instance changes: of new snapshots, and of the events derived from the snapshots
 * before and after each change. Both are called on the thread that made the change, in the order of
 * the changes of each instance; a listener that throws is logged and skipped.
 */
@Singleton
public final class InstanceEvents {
    private static final System.Logger LOG = System.getLogger(InstanceEvents.class.getName());

    private final List<Consumer<Instance>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<InstanceEvent>> eventListeners = new CopyOnWriteArrayList<>();

    Registration register(Consumer<Instance> listener) {
        return add(listeners, listener);
    }

    Registration registerEvents(Consumer<InstanceEvent> listener) {
        return add(eventListeners, listener);
    }

    /** Announces an instance just made, before anything is persisted of it: its creation event. */
    void created(Instance instance) {
        announce(null, instance);
    }

    /** Announces a change persisted: {@code previous} is the snapshot before it. */
    void changed(Instance previous, Instance next) {
        for (Consumer<Instance> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an instance listener failed", e);
            }
        }
        announce(previous, next);
    }

    private void announce(Instance previous, Instance next) {
        if (eventListeners.isEmpty()) {
            return;
        }
        for (InstanceEvent event : InstanceChanges.between(previous, next, Instant.now())) {
            for (Consumer<InstanceEvent> listener : eventListeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "an instance event listener failed", e);
                }
            }
        }
    }

    private static <T> Registration add(List<Consumer<T>> list, Consumer<T> listener) {
        list.add(listener);
        return () -> list.remove(listener);
    }
}
