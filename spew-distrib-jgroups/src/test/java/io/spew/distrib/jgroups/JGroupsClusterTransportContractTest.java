package io.spew.distrib.jgroups;

import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.testing.ClusterTransportContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The jgroups transport passes the cluster transport contract as one of three members in this JVM. */
class JGroupsClusterTransportContractTest extends ClusterTransportContract {
    private static TestCluster cluster;

    @BeforeAll
    static void startPeers() {
        cluster = new TestCluster(3);
        cluster.start(1, TestCluster.member("host-b"), TestCluster.KEY);
        cluster.start(2, TestCluster.member("host-c"), TestCluster.KEY);
    }

    @AfterAll
    static void closePeers() {
        cluster.close();
    }

    @Override
    protected ClusterTransport start(Member local) {
        Map<String, String> settings = cluster.settings(0, TestCluster.KEY);
        ClusterTransport transport = new JGroupsTransportFactory().create(new ClusterContext() {
            @Override
            public Member localMember() {
                return local;
            }

            @Override
            public Map<String, String> config() {
                return settings;
            }
        });
        transport.start();
        TestCluster.awaitUp((JGroupsClusterTransport) transport, 3);
        return transport;
    }
}
