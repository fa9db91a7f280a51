package io.spew.spi.runtime;

import io.spew.spi.Probe;

/**
 * The extension point for runtimes, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.spew.spi.runtime.InstanceRuntimeFactory}. An appliance that names a
 * runtime gets it; otherwise Spew takes the highest-priority runtime whose probe passes.
 */
public interface InstanceRuntimeFactory {
    /** The version of this SPI; a factory returns the value it was compiled against. */
    int SPI_VERSION = 1;

    /** The SPI version this factory was built for: return {@link #SPI_VERSION}. */
    int spiVersion();

    /** The name appliances use: {@code shell}, {@code nspawn}, {@code void}. */
    String name();

    /** Higher wins when an appliance names no runtime. */
    int priority();

    /** Whether the runtime can work on this host; cheap, and never throws. */
    Probe probe(RuntimeContext context);

    /** Makes the runtime; called once per engine, after a passing probe. */
    InstanceRuntime create(RuntimeContext context);
}
