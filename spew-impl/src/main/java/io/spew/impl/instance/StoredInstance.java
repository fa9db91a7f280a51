package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.instance.Instance;
import io.spew.spi.runtime.RuntimeHandle;

/**
 * What {@code instances/<id>/instance.json} holds: the instance, the runtime handle a later engine
 * adopts it by while its process may run, and its restart history.
 */
public record StoredInstance(Instance instance, RuntimeHandle handle, RestartHistory restarts) {
    public StoredInstance {
        requireNonNull(instance, "instance is null");
        restarts = restarts == null ? RestartHistory.NONE : restarts;
    }

    public StoredInstance(Instance instance, RuntimeHandle handle) {
        this(instance, handle, null);
    }
}
