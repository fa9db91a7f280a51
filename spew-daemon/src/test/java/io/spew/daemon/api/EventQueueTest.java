package io.spew.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    @Test
    void aFullQueueDropsThisAndEveryLaterEventAndSaysSoOnce() throws Exception {
        AtomicInteger overflows = new AtomicInteger();
        EventQueue queue = new EventQueue(2, event -> true, overflows::incrementAndGet);

        for (int i = 1; i <= 5; i++) {
            queue.offer(event("hello-" + i));
        }
        assertThat(queue.dropped()).isEqualTo(3);
        assertThat(overflows).hasValue(1);
        assertThat(((InstanceEvent) queue.poll(Duration.ZERO)).name()).isEqualTo("hello-1");
        queue.offer(event("hello-6"));
        List<Object> rest = new ArrayList<>();
        queue.drainTo(rest);
        assertThat(rest).extracting(event -> ((InstanceEvent) event).name()).as("nothing after the first drop").containsExactly("hello-2");
        assertThat(queue.dropped()).isEqualTo(4);
        assertThat(overflows).hasValue(1);
    }

    @Test
    void filteredEventsTakeNoRoom() throws Exception {
        EventQueue queue = new EventQueue(1, event -> ((InstanceEvent) event).name().equals("web-1"), () -> { });
        queue.offer(event("hello-1"));
        queue.offer(event("web-1"));
        queue.offer(event("hello-2"));
        assertThat(queue.dropped()).isZero();
        assertThat(((InstanceEvent) queue.poll(Duration.ZERO)).name()).isEqualTo("web-1");
        assertThat(queue.poll(Duration.ofMillis(10))).isNull();
    }

    private static InstanceEvent event(String name) {
        return new InstanceEvent(Instant.now(), "h-1", InstanceId.random(), name, "hello", InstanceEvent.Type.STATE,
                InstanceState.RUNNING, "none", 0, "created", null, null);
    }
}
