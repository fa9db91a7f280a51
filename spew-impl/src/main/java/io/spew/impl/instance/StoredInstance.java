package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.instance.Instance;
import io.spew.spi.runtime.RuntimeHandle;

/**
 * What {@code instances/<id>/instance.json} holds: the instance and, while its process may run,
 * the runtime handle a later engine adopts it by.
 */
public record StoredInstance(Instance instance, RuntimeHandle handle) {
    public StoredInstance {
        requireNonNull(instance, "instance is null");
    }
}
