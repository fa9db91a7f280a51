package io.spew.impl.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceEvent.Type;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.impl.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceChangesTest {
    private static final Instant TIME = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final InstanceId ID = InstanceId.parse("0123456789ab");
    private static final InstanceSpec SPEC = new InstanceSpec("hello-1", "hello", 1, "shell",
            List.of("/bin/sh", "-c", "exit 1"), Map.of(), null, null, null);
    private static final Instance CREATED = instance(InstanceState.CREATED, "none", 0, null, null);

    @Test
    void creationIsACreatedStateEventWithoutAPreviousValue() {
        List<InstanceEvent> events = InstanceChanges.between(null, CREATED, TIME);
        assertThat(events).containsExactly(new InstanceEvent(TIME, "host-a", ID, "hello-1", "hello", Type.STATE,
                InstanceState.CREATED, "none", 0, null, null, null));
        assertThat(events.get(0).value()).isEqualTo("created");
    }

    @Test
    void aStateChangeCarriesThePreviousStateAndTheExitStatus() {
        Instance running = instance(InstanceState.RUNNING, "none", 0, null, null);
        Instance crashed = instance(InstanceState.CRASHED, "none", 0, ExitStatus.exited(1), null);

        assertThat(InstanceChanges.between(CREATED, running, TIME)).singleElement()
                .satisfies(event -> assertThat(List.of(event.type(), event.previous(), event.value()))
                        .containsExactly(Type.STATE, "created", "running"));
        InstanceEvent event = InstanceChanges.between(running, crashed, TIME).get(0);
        assertThat(event.type()).isEqualTo(Type.STATE);
        assertThat(event.previous()).isEqualTo("running");
        assertThat(event.state()).isEqualTo(InstanceState.CRASHED);
        assertThat(event.exitStatus()).isEqualTo(ExitStatus.exited(1));
        assertThat(List.of(event.time(), event.host(), event.instance(), event.name(), event.appliance()))
                .containsExactly(TIME, "host-a", ID, "hello-1", "hello");
    }

    @Test
    void aRestartComesBeforeTheStateItLeadsTo() {
        Instance stopped = instance(InstanceState.STOPPED, "none", 0, ExitStatus.signaled("SIGTERM"), null);
        Instance running = instance(InstanceState.RUNNING, "none", 1, null, null);

        List<InstanceEvent> events = InstanceChanges.between(stopped, running, TIME);

        assertThat(events).extracting(InstanceEvent::type, InstanceEvent::previous, InstanceEvent::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Type.RESTART, "0", "1"),
                        org.assertj.core.groups.Tuple.tuple(Type.STATE, "stopped", "running"));
    }

    @Test
    void aHealthChangeIsAHealthEvent() {
        Instance running = instance(InstanceState.RUNNING, "none", 0, null, null);
        Instance healthy = instance(InstanceState.RUNNING, "healthy", 0, null, "tcp 8080 answered");

        assertThat(InstanceChanges.between(running, healthy, TIME)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.HEALTH);
            assertThat(event.previous()).isEqualTo("none");
            assertThat(event.value()).isEqualTo("healthy");
            assertThat(event.message()).isEqualTo("tcp 8080 answered");
        });
    }

    @Test
    void nothingChangedIsNoEvent() {
        Instance running = instance(InstanceState.RUNNING, "none", 0, null, null);
        Instance samePid = instance(InstanceState.RUNNING, "none", 0, null, "a new word");

        assertThat(InstanceChanges.between(CREATED, CREATED, TIME)).isEmpty();
        assertThat(InstanceChanges.between(running, samePid, TIME)).isEmpty();
    }

    @Test
    void snapshotsOfTwoInstancesAreRefused() {
        Instance other = new Instance(InstanceId.parse("ba9876543210"), SPEC, "host-a", InstanceState.RUNNING, "none",
                null, 0, null, TIME, null, null, null);
        assertThatThrownBy(() -> InstanceChanges.between(CREATED, other, TIME))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventIsJsonWithItsTypeAndStateInLowerCase() throws Exception {
        Instance running = instance(InstanceState.RUNNING, "none", 0, null, null);
        Instance crashed = instance(InstanceState.CRASHED, "none", 0, ExitStatus.exited(1), null);
        InstanceEvent event = InstanceChanges.between(running, crashed, TIME).get(0);

        String json = Json.mapper().writeValueAsString(event);

        assertThat(json).isEqualTo("{\"time\":\"2026-01-02T03:04:05.678Z\",\"host\":\"host-a\","
                + "\"instance\":\"0123456789ab\",\"name\":\"hello-1\",\"appliance\":\"hello\",\"type\":\"state\","
                + "\"state\":\"crashed\",\"health\":\"none\",\"restarts\":0,\"previous\":\"running\","
                + "\"exitStatus\":{\"code\":1,\"signal\":null},\"message\":null}");
        assertThat(Json.mapper().readValue(json, InstanceEvent.class)).isEqualTo(event);
    }

    private static Instance instance(InstanceState state, String health, int restarts, ExitStatus exit, String message) {
        return new Instance(ID, SPEC, "host-a", state, health, state.isActive() ? 42L : null, restarts, exit, TIME,
                null, null, message);
    }
}
