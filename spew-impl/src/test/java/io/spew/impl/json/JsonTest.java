package io.spew.impl.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.appliance.Appliance;
import io.spew.host.Host;
import io.spew.host.HostState;
import io.spew.impl.instance.StoredInstance;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.RuntimeHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every record Spew stores or serves reads back as it was written. */
class JsonTest {
    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        String json = Json.mapper().writeValueAsString(value);
        return Json.mapper().readValue(json, type);
    }

    private static Instance instance(ExitStatus exitStatus) {
        InstanceSpec spec = new InstanceSpec("web-1", "web", 1, "shell", List.of("/bin/sh", "-c", "exit 3"),
                Map.of("B", "2", "A", "1"), "/srv", new StopPolicy(Signal.SIGINT, Duration.ofMillis(1500)),
                Map.of("pid", "1"));
        return new Instance(InstanceId.parse("0123456789ab"), spec, "host-1", InstanceState.CRASHED, "none", null, 2,
                exitStatus, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
                Instant.parse("2026-01-01T00:00:02Z"), "why");
    }

    @Test
    void instancesWithEveryKindOfExitStatusReadBack() throws Exception {
        for (ExitStatus status : List.of(ExitStatus.exited(3), ExitStatus.signaled("SIGKILL"), ExitStatus.unknown())) {
            StoredInstance stored = new StoredInstance(instance(status),
                    new RuntimeHandle("shell", 42, 4711, "boot", Map.of("group", "true")));
            assertThat(roundTrip(stored, StoredInstance.class)).isEqualTo(stored);
        }
        assertThat(roundTrip(new StoredInstance(instance(null), null), StoredInstance.class).instance().exitStatus())
                .isNull();
    }

    @Test
    void theShapeIsStable() throws Exception {
        String json = Json.mapper().writeValueAsString(instance(ExitStatus.exited(3)));
        assertThat(json).contains("\"id\":\"0123456789ab\"", "\"state\":\"crashed\"", "\"signal\":\"SIGINT\"",
                "\"timeout\":1500", "\"env\":{\"A\":\"1\",\"B\":\"2\"}", "\"createdAt\":\"2026-01-01T00:00:00Z\"")
                .doesNotContain("\"known\"", "\"success\"");
    }

    @Test
    void appliancesAndHostsReadBack() throws Exception {
        Appliance appliance = new Appliance("web", null, List.of("a"), Map.of("X", "y"), null, StopPolicy.DEFAULT,
                Map.of("port", "80"), Map.of(), "web.yaml");
        assertThat(roundTrip(appliance, Appliance.class)).isEqualTo(appliance);
        Host host = new Host("id", "name", "127.0.0.1", HostState.UP, true, List.of("shell"), Map.of("k", "v"), 2, 1024);
        assertThat(roundTrip(host, Host.class)).isEqualTo(host);
        assertThat(Json.mapper().writeValueAsString(host)).contains("\"local\":true", "\"state\":\"up\"");
    }
}
