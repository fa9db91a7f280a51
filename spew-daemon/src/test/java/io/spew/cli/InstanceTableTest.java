package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.daemon.api.InstanceSummary;
import io.spew.impl.json.Json;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.instance.StopPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits show in {@code spew ps} and its JSON. */
class InstanceTableTest {
    private static InstanceSummary instance(String name, Map<String, String> config) {
        InstanceSpec spec = new InstanceSpec(name, "box", 1, "nspawn", "sha256:" + "a".repeat(64), List.of("/run.sh"),
                Map.of(), null, StopPolicy.DEFAULT, config);
        return InstanceSummary.of(new Instance(InstanceId.random(), spec, "host", InstanceState.RUNNING, "none", 42L,
                0, null, Instant.now(), Instant.now(), null, null));
    }

    @Test
    void limitsAreAColumnWhenAnyInstanceHasThem() {
        StringWriter text = new StringWriter();
        InstanceTable.print(new PrintWriter(text), List.of(
                instance("box-1", Map.of("memory", "64M", "pids", "100", "hostname", "x")),
                instance("box-2", Map.of())), "");
        assertThat(text.toString().lines().findFirst().orElseThrow()).endsWith("LIMITS");
        assertThat(text.toString()).contains("memory=64M,pids=100").doesNotContain("hostname");

        StringWriter plain = new StringWriter();
        InstanceTable.print(new PrintWriter(plain), List.of(instance("box-2", Map.of())), "");
        assertThat(plain.toString()).doesNotContain("LIMITS");
    }

    @Test
    void theJsonOfPsCarriesTheBuildAndTheLimits() throws Exception {
        String json = Json.mapper().writeValueAsString(instance("box-1", Map.of("cpus", "0.5")));
        assertThat(json).contains("\"limits\":{\"cpus\":\"0.5\"}", "\"build\":\"sha256:aaaa");
    }
}
