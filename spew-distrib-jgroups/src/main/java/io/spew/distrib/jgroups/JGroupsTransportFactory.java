package io.spew.distrib.jgroups;

import io.spew.spi.Probe;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.ClusterTransportFactory;

/**
 * The {@code jgroups} cluster transport: membership and messaging over TCP, every message sealed with the
 * cluster key. Its priority is below {@code local}'s, so the engine uses it only when asked by name
 * (a cluster needs a key and seeds, which only an explicit choice brings).
 */
public final class JGroupsTransportFactory implements ClusterTransportFactory {
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
        return -100;
    }

    @Override
    public Probe probe(ClusterContext context) {
        try {
            Class.forName("org.jgroups.JChannel", false, JGroupsTransportFactory.class.getClassLoader());
            return Probe.ok();
        } catch (ClassNotFoundException | LinkageError e) {
            return Probe.unavailable("JGroups is not on the class path: add org.jgroups:jgroups to the distribution");
        }
    }

    @Override
    public ClusterTransport create(ClusterContext context) {
        return new JGroupsClusterTransport(JGroupsSettings.parse(context.config()), context.localMember(),
                JGroupsSettings.raftDirectory(context.config()));
    }
}
