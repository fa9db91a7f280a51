package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.SpewException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {
    @Test
    void networkAndPortsAreRead() {
        NspawnConfig config = NspawnConfig.parse(Map.of("network", "private", "address", "10.77.0.2/24",
                "gateway", "10.77.0.1", "ports", "8080:80, 9000-9009:90"));
        assertThat(config.network()).isEqualTo(new NetworkSettings(true, "10.77.0.2/24", "10.77.0.1", "spew0"));
        assertThat(config.network().host()).isEqualTo("10.77.0.2");
        assertThat(config.network().gatewayCidr()).isEqualTo("10.77.0.1/24");
        assertThat(config.ports()).containsExactly(new PublishedPort(8080, 8080, 80), new PublishedPort(9000, 9009, 90));
        assertThat(config.ports().get(1).hostPort("web-3", 3)).isEqualTo(9002);
        assertThat(config.ports().get(0).hostPort("web-3", 3)).as("a single port for every index").isEqualTo(8080);
        assertThat(NspawnConfig.parse(Map.of("network", "private")).network().address())
                .as("an appliance is checked before the engine leased an address").isNull();
        assertThat(NspawnConfig.parse(Map.of()).network().enabled()).isFalse();
    }

    @Test
    void aPortMayNameTheHostAddressItIsPublishedOnIpv4OrIpv6() throws Exception {
        NspawnConfig config = NspawnConfig.parse(Map.of("network", "private", "ports",
                "127.0.0.1:8080:80, [::1]:8080:80, [2001:db8::7]:9000-9009:90, 8081:81"));

        assertThat(config.ports()).containsExactly(new PublishedPort("127.0.0.1", 8080, 8080, 80),
                new PublishedPort("::1", 8080, 8080, 80), new PublishedPort("2001:db8::7", 9000, 9009, 90),
                new PublishedPort(null, 8081, 8081, 81));
        assertThat(config.ports()).map(PublishedPort::toString)
                .containsExactly("127.0.0.1:8080:80", "[::1]:8080:80", "[2001:db8::7]:9000-9009:90", "8081:81");
        assertThat(config.ports().get(1).bindAddress(8080).getAddress()).isEqualTo(java.net.InetAddress.getByName("::1"));
        assertThat(config.ports().get(3).bindAddress(8081).getAddress().isAnyLocalAddress()).isTrue();
        assertRefused(Map.of("network", "private", "ports", "[::1:8080:80"), "not '[::1:8080:80'");
        assertRefused(Map.of("network", "private", "ports", "300.0.0.1:8080:80"), "not '300.0.0.1:8080:80'");
        assertRefused(Map.of("network", "private", "ports", "[::g]:8080:80"), "optionally after ADDRESS:");
        assertRefused(Map.of("network", "private", "ports", "[:]:8080:80"), "not '[:]:8080:80'");
    }

    @Test
    void badValuesAreRefused() {
        assertRefused(Map.of("network", "bridge"), "runtime nspawn: network must be private or none, not 'bridge'");
        assertRefused(Map.of("ports", "8080:80"), "runtime nspawn: ports need network: private");
        assertRefused(Map.of("network", "private", "ports", "80"), "not '80'");
        assertRefused(Map.of("network", "private", "ports", "9009-9000:80"), "not '9009-9000:80'");
        assertRefused(Map.of("network", "private", "ports", "70000:80"), "not '70000:80'");
        assertRefused(Map.of("network", "private", "bridge", "br0"), "bridge must start with 'spew'");
        assertRefused(Map.of("network", "private", "address", "10.77.0.300/24"), "address must be A.B.C.D/N");
        assertRefused(Map.of("address", "10.77.0.2/24"), "address and gateway need network: private");
        assertRefused(Map.of("network", "private", "private-network", "true"), "exclude each other");
        assertThatThrownBy(() -> new PublishedPort(9000, 9001, 80).hostPort("web-3", 3))
                .hasMessage("instance web-3 has index 3 but ports 9000-9001:80 publish 2 ports: widen the range");
    }

    private static void assertRefused(Map<String, String> config, String message) {
        assertThatThrownBy(() -> NspawnConfig.parse(config)).isInstanceOf(SpewException.class).hasMessageContaining(message);
    }

    @Test
    void namesOnTheHostStartWithSpewAndFitAnInterfaceName() {
        assertThat(InstanceNetwork.namespace("0123456789ab")).isEqualTo("spew-0123456789ab");
        assertThat(InstanceNetwork.hostInterface("0123456789ab")).isEqualTo("spew0123456789a").hasSizeLessThanOrEqualTo(15);
        assertThat(List.of(InstanceNetwork.DEFAULT_BRIDGE)).containsExactly("spew0");
    }
}
