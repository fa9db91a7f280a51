package io.spew.runtime.noop;

import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;

/**
 * The {@code void} runtime: runs nothing of its own. It observes or adopts a process started elsewhere, or holds static
 * config. Its priority is the lowest: it is used only when an appliance names it.
 */
public final class VoidRuntimeFactory implements InstanceRuntimeFactory {
    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return VoidRuntime.NAME;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Probe probe(RuntimeContext context) {
        return Probe.ok();
    }

    @Override
    public InstanceRuntime create(RuntimeContext context) {
        return new VoidRuntime(context);
    }
}
