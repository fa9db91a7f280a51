package io.spew.impl.instance;

import io.spew.Registration;
import io.spew.instance.Instance;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The listeners of instance changes, called in the order of the changes of each instance. */
@Singleton
public final class InstanceEvents {
    private static final System.Logger LOG = System.getLogger(InstanceEvents.class.getName());

    private final List<Consumer<Instance>> listeners = new CopyOnWriteArrayList<>();

    Registration register(Consumer<Instance> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void changed(Instance instance) {
        for (Consumer<Instance> listener : listeners) {
            try {
                listener.accept(instance);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an instance listener failed", e);
            }
        }
    }
}
