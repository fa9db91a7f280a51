package io.spew.daemon.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.api.RollEvent;
import io.spew.environment.RollProgress;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceState;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventStreamTest {
    private static final String EVENT = "{\"time\":\"2026-01-02T03:04:05.678Z\",\"host\":\"h-1\","
            + "\"instance\":\"0123456789ab\",\"name\":\"hello-1\",\"appliance\":\"hello\",\"type\":\"state\","
            + "\"state\":\"crashed\",\"health\":\"none\",\"restarts\":0,\"previous\":\"running\","
            + "\"exitStatus\":{\"code\":1,\"signal\":null},\"message\":null,\"addedLater\":true}";

    @Test
    void readsEventsKeepingTheirLinesUntilTheEnd() {
        try (EventStream stream = stream(EVENT + "\n")) {
            InstanceEvent event = (InstanceEvent) stream.next();
            assertThat(event.state()).isEqualTo(InstanceState.CRASHED);
            assertThat(event.type()).isEqualTo(InstanceEvent.Type.STATE);
            assertThat(stream.line()).isEqualTo(EVENT);
            assertThat(stream.next()).as("the daemon ended the stream").isNull();
        }
    }

    @Test
    void readsTheStepsOfRollsBesideTheChangesOfInstances() {
        String roll = "{\"time\":\"2026-01-02T03:04:06Z\",\"type\":\"roll\",\"appliance\":\"web\","
                + "\"phase\":\"replaced\",\"fromVersion\":1,\"toVersion\":2,\"replaced\":2,\"total\":6,"
                + "\"detail\":\"web-1, web-2\"}";
        try (EventStream stream = stream(EVENT + "\n" + roll + "\n")) {
            assertThat(stream.next()).isInstanceOf(InstanceEvent.class);
            RollEvent event = (RollEvent) stream.next();
            assertThat(event.progress()).isEqualTo(new RollProgress(Instant.parse("2026-01-02T03:04:06Z"), "web",
                    RollProgress.Phase.REPLACED, 1, 2, 2, 6, "web-1, web-2"));
            assertThat(stream.line()).isEqualTo(roll);
        }
    }

    @Test
    void theDroppedLineIsTooMany() {
        try (EventStream stream = stream(EVENT + "\n{\"dropped\":7,\"message\":\"7 events were dropped\"}\n")) {
            stream.next();
            assertThatThrownBy(stream::next).isInstanceOf(SpewException.class)
                    .hasMessageContaining("7 events were dropped")
                    .satisfies(e -> assertThat(((SpewException) e).code()).isEqualTo(ErrorCode.TOO_MANY));
        }
    }

    private static EventStream stream(String text) {
        return new EventStream(new ByteArrayInputStream(text.getBytes(UTF_8)), "127.0.0.1:7070");
    }
}
