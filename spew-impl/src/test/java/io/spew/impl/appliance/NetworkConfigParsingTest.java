package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.SpewException;
import io.spew.appliance.Appliance;
import org.junit.jupiter.api.Test;

class NetworkConfigParsingTest {
    private static Appliance parse(String yaml) {
        return ApplianceParser.parse("a.yaml", yaml).appliance();
    }

    @Test
    void aListInARuntimesConfigReachesItCommaSeparated() {
        Appliance appliance = parse("""
                name: web
                runtime: nspawn
                config: { network: private, ports: ["8080:80", "8443-8444:${port}"] }
                options: { port: "443" }
                """);
        assertThat(appliance.config()).containsEntry("network", "private").containsEntry("ports", "8080:80,8443-8444:${port}");
        assertThat(parse("name: web\nconfig: { ports: \"8080:80\" }\n").config()).containsEntry("ports", "8080:80");
    }

    @Test
    void anElementWithACommaIsRefusedWhereItIs() {
        assertThatThrownBy(() -> parse("name: web\nconfig:\n  ports: [\"8080:80,9090:90\"]\n"))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining("a.yaml:3:11")
                .hasMessageContaining("each element of 'config.ports' is one value, without ','");
    }
}
