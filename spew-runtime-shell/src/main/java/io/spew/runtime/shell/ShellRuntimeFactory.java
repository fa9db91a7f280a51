package io.spew.runtime.shell;

import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;

/** The {@code shell} runtime: the command runs as a process on the host. */
public final class ShellRuntimeFactory implements InstanceRuntimeFactory {
    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return ShellRuntime.NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Probe probe(RuntimeContext context) {
        return Probe.ok();
    }

    @Override
    public InstanceRuntime create(RuntimeContext context) {
        return new ShellRuntime(context);
    }
}
