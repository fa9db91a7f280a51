package io.spew.daemon.panel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private final RequestGuard guard = new RequestGuard(Set.of("spew.example", "panel.example:8443"), exchange -> {});
    private final InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 7070);

    @Test
    void theListenAddressAndLocalhostAreAllowed() {
        assertThat(guard.isAllowed("127.0.0.1:7070", loopback)).isTrue();
        assertThat(guard.isAllowed("localhost:7070", loopback)).isTrue();
        assertThat(guard.isAllowed("LOCALHOST:7070", loopback)).isTrue();
        assertThat(guard.isAllowed("[::1]:7070", new InetSocketAddress("::1", 7070))).isTrue();
    }

    @Test
    void configuredNamesAreAllowed() {
        assertThat(guard.isAllowed("spew.example:7070", loopback)).isTrue();
        assertThat(guard.isAllowed("panel.example:8443", loopback)).isTrue();
        assertThat(guard.isAllowed("panel.example:7070", loopback)).isFalse();
    }

    @Test
    void otherNamesPortsAndMissingHostsAreRefused() {
        assertThat(guard.isAllowed("evil.example:7070", loopback)).isFalse();
        assertThat(guard.isAllowed("127.0.0.1:7071", loopback)).isFalse();
        assertThat(guard.isAllowed("127.0.0.1", loopback)).isFalse();
        assertThat(guard.isAllowed("localhost:7070", new InetSocketAddress("10.0.0.1", 7070))).isFalse();
        assertThat(guard.isAllowed(null, loopback)).isFalse();
        assertThat(guard.isAllowed("", loopback)).isFalse();
    }
}
