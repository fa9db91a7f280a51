package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransportFactory;
import io.spew.spi.cluster.Member;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JGroupsTransportFactoryTest {
    private final ClusterContext context = new ClusterContext() {
        @Override
        public Member localMember() {
            return TestCluster.member("host-a");
        }

        @Override
        public Map<String, String> config() {
            return Map.of("cluster-key", TestCluster.KEY, "colour", "blue");
        }
    };

    @Test
    void isFoundByServiceLoaderAndItsProbePasses() {
        ClusterTransportFactory factory = ServiceLoader.load(ClusterTransportFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(found -> found.name().equals("jgroups")).findFirst().orElseThrow();
        assertThat(factory.spiVersion()).isEqualTo(ClusterTransportFactory.SPI_VERSION);
        assertThat(factory.probe(context).passed()).isTrue();
    }

    @Test
    void ranksBelowTheLocalTransportSoItIsUsedOnlyWhenChosen() {
        // local's priority is 0 (spew-impl LocalClusterTransportFactory)
        assertThat(new JGroupsTransportFactory().priority()).isNegative();
    }

    @Test
    void aTakenPortFailsNamingIt() throws Exception {
        TestCluster cluster = new TestCluster(1);
        try (ServerSocket taken = new ServerSocket(cluster.ports.get(0), 1, InetAddress.getLoopbackAddress());
                cluster) {
            assertThatThrownBy(() -> cluster.start(0, TestCluster.member("host-a"), TestCluster.KEY))
                    .isInstanceOf(SpewException.class)
                    .hasMessageContaining("127.0.0.1[" + taken.getLocalPort() + "]")
                    .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE));
        }
    }

    @Test
    void createRejectsUnknownSettings() {
        assertThatThrownBy(() -> new JGroupsTransportFactory().create(context))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining("'colour'")
                .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
