package io.spew.impl.cluster;

import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.testing.ClusterTransportContract;
import java.util.Map;

/** The local transport passes the cluster transport contract, and is the one chosen by default. */
class LocalClusterTransportContractTest extends ClusterTransportContract {
    @Override
    protected ClusterTransport start(Member local) {
        ClusterTransport transport = ClusterTransports.create(null, new ClusterContext() {
            @Override
            public Member localMember() {
                return local;
            }

            @Override
            public Map<String, String> config() {
                return Map.of();
            }
        });
        transport.start();
        return transport;
    }
}
