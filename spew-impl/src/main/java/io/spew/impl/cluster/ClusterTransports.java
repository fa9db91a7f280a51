package io.spew.impl.cluster;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.Probe;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ClusterTransportFactory;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Chooses the cluster transport: an explicit name wins, else the highest-priority one whose probe passes. */
public final class ClusterTransports {
    private ClusterTransports() {}

    public static ClusterTransport create(String explicit, ClusterContext context) {
        List<ClusterTransportFactory> factories = ServiceLoader.load(ClusterTransportFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(factory -> factory.spiVersion() == ClusterTransportFactory.SPI_VERSION)
                .sorted(Comparator.comparingInt(ClusterTransportFactory::priority).reversed())
                .toList();
        StringBuilder why = new StringBuilder();
        for (ClusterTransportFactory factory : factories) {
            if (explicit != null && !explicit.equals(factory.name())) {
                continue;
            }
            Probe probe = factory.probe(context);
            if (probe.passed()) {
                return factory.create(context);
            }
            why.append(why.length() == 0 ? "" : "; ").append(factory.name()).append(": ").append(probe.reason());
        }
        if (explicit != null && why.length() == 0) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "unknown cluster transport '" + explicit + "' (known: "
                    + factories.stream().map(ClusterTransportFactory::name).collect(Collectors.joining(", ")) + ")");
        }
        throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "no cluster transport is available (" + why + ")");
    }
}
