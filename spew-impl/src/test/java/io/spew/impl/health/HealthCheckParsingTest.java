package io.spew.impl.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.impl.appliance.ApplianceParser;
import io.spew.service.HealthCheck;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code check:} of a service and {@code restart: { on_unhealthy }} as the appliance parser reads them. */
class HealthCheckParsingTest {
    @Test
    void readsEveryKindAndTiming() {
        Appliance appliance = parse("""
                name: db
                restart: { on_unhealthy: true }
                services:
                  - { name: a, port: "${port}", check: { tcp: "${port}", interval: 5s, timeout: 500ms, retries: 5, start_grace: 1m } }
                  - { name: b, port: "80", check: { http: /health, startGrace: 30s } }
                  - { name: c, port: "81", check: { exec: [test, -f, /ready] } }
                  - { name: d, port: "82", check: { exec: "pgrep redis" } }
                options: { port: "8087" }
                """);
        assertThat(appliance.restart().onUnhealthy()).isTrue();
        List<HealthCheck> checks = appliance.services().stream().map(service -> service.check()).toList();
        assertThat(checks.get(0)).isEqualTo(new HealthCheck("${port}", null, null, Duration.ofSeconds(5),
                Duration.ofMillis(500), 5, Duration.ofMinutes(1)));
        assertThat(checks.get(1)).isEqualTo(new HealthCheck(null, "/health", null, HealthCheck.DEFAULT_INTERVAL,
                HealthCheck.DEFAULT_TIMEOUT, HealthCheck.DEFAULT_RETRIES, Duration.ofSeconds(30)));
        assertThat(checks.get(2).exec()).containsExactly("test", "-f", "/ready");
        assertThat(checks.get(2).retries()).isEqualTo(3);
        assertThat(checks.get(2).startGrace()).isZero();
        assertThat(checks.get(3).exec()).containsExactly("/bin/sh", "-c", "pgrep redis");
        assertThat(new HealthCheck("8087")).as("the one-port constructor").isEqualTo(new HealthCheck("8087", null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(2), 3, Duration.ZERO));
        assertThat(parse("name: x\n").restart().onUnhealthy()).isFalse();
    }

    @Test
    void badChecksNameFileLineAndColumn() {
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', http: /h } }]",
                "a.yaml:2:41: 'check' of service a needs exactly one of tcp, http and exec, not tcp and http");
        assertError("services: [{ name: a, port: '1', check: { interval: 1s } }]",
                "a.yaml:2:41: 'check' of service a needs exactly one of tcp, http and exec");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', interval: soon } }]",
                "a.yaml:2:63: 'check.interval' of service a: not a duration: 'soon'");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', timeout: 0s } }]",
                "a.yaml:2:62: 'check.timeout' of service a: must be more than 0");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', retries: 0 } }]",
                "a.yaml:2:62: 'check.retries' of service a must be 1 or more");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', retries: many } }]",
                "a.yaml:2:62: 'check.retries' of service a must be a count");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', every: 1s } }]",
                "a.yaml:2:53: unknown key 'every' in a check");
        assertError("services: [{ name: a, port: '1', check: { exec: [] } }]",
                "a.yaml:2:49: 'check.exec' of service a must be a command");
        assertError("services: [{ name: a, port: '1', check: { tcp: '1', start_grace: 1s, startGrace: 2s } }]",
                "a.yaml:2:70: 'check' of service a has both start_grace and startGrace");
        assertError("restart: { on_unhealthy: yes please }", "a.yaml:2:26: restart: 'on_unhealthy' must be true or false");
    }

    private static void assertError(String line, String expected) {
        assertThatThrownBy(() -> ApplianceParser.parse("a.yaml", "name: a\n" + line + "\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith(expected);
                });
    }

    private static Appliance parse(String content) {
        return ApplianceParser.parse("a.yaml", content).appliance();
    }
}
