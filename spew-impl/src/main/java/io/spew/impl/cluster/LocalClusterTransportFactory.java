package io.spew.impl.cluster;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ClusterTransportFactory;

/** The {@code local} transport: one host, no network. Always available, lowest priority. */
public final class LocalClusterTransportFactory implements ClusterTransportFactory {
    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe(ClusterContext context) {
        return Probe.ok();
    }

    @Override
    public ClusterTransport create(ClusterContext context) {
        if (!context.config().isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT,
                    "the local cluster transport takes no settings, got: " + context.config().keySet());
        }
        return new LocalClusterTransport(context.localMember());
    }
}
