package io.spew.spi.runtime;

import io.spew.instance.ExitStatus;

/** Told once when the process of an instance has ended. */
@FunctionalInterface
public interface ExitListener {
    void exited(RuntimeHandle handle, ExitStatus status);
}
