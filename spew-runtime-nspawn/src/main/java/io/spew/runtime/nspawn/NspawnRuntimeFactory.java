package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;

/**
 * The {@code nspawn} runtime: systemd-nspawn over an overlayfs root. Not built yet: its probe says
 * so, and the engine never chooses it.
 */
public final class NspawnRuntimeFactory implements InstanceRuntimeFactory {
    static final String NOT_YET = "the nspawn runtime is not available yet in this version of Spew";

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return "nspawn";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Probe probe(RuntimeContext context) {
        return Probe.unavailable(NOT_YET);
    }

    @Override
    public InstanceRuntime create(RuntimeContext context) {
        throw new SpewException(ErrorCode.RUNTIME_UNAVAILABLE, NOT_YET);
    }
}
