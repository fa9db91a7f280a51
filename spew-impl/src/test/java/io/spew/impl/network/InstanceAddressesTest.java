package io.spew.impl.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.InstanceSpec;
import io.spew.instance.StopPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceAddressesTest {
    @Test
    void anInstanceNetworkHasItsOwnAddressAndEveryOtherInstanceTheHosts() {
        InstanceSpec container = spec("nspawn", Map.of("network", "private", "address", "10.77.0.9/24", "gateway", "10.77.0.1"));
        InstanceSpec shell = spec("shell", Map.of());
        InstanceSpec hostNetwork = spec("nspawn", Map.of("bind", "/srv"));
        assertThat(InstanceAddresses.of(container, "192.0.2.7")).isEqualTo("10.77.0.9");
        assertThat(InstanceAddresses.of(shell, "192.0.2.7")).as("shell instances share the host's network")
                .isEqualTo("192.0.2.7");
        assertThat(InstanceAddresses.of(hostNetwork, "192.0.2.7")).isEqualTo("192.0.2.7");
    }

    private static InstanceSpec spec(String runtime, Map<String, String> config) {
        return new InstanceSpec("a-1", "a", 1, runtime, List.of("true"), Map.of(), null, StopPolicy.DEFAULT, config);
    }
}
