package io.spew.distrib.jgroups;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ClusterTransportFactory;

/**
 * The {@code jgroups} cluster transport. Not built yet: its probe says so, and the engine keeps the
 * local one-host transport.
 */
public final class JGroupsTransportFactory implements ClusterTransportFactory {
    static final String NOT_YET = "the jgroups cluster transport is not available yet in this version of Spew";

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String name() {
        return "jgroups";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Probe probe(ClusterContext context) {
        return Probe.unavailable(NOT_YET);
    }

    @Override
    public ClusterTransport create(ClusterContext context) {
        throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, NOT_YET);
    }
}
