package io.spew.spi.cluster;

import io.spew.spi.Probe;

/**
 * The extension point for cluster transports, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.spew.spi.cluster.ClusterTransportFactory}. An explicit choice wins,
 * else the highest-priority transport whose probe passes; {@code local} (one host, no network) is
 * always there.
 */
public interface ClusterTransportFactory {
    /** The version of this SPI; a factory returns the value it was compiled against. */
    int SPI_VERSION = 1;

    int spiVersion();

    /** {@code local}, {@code jgroups}. */
    String name();

    int priority();

    Probe probe(ClusterContext context);

    ClusterTransport create(ClusterContext context);
}
