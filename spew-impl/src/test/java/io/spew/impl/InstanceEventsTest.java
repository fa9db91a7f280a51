package io.spew.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Registration;
import io.spew.Spew;
import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceEvent;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events of {@code Instances.onEvent} for a real instance's life: run, crash, start, restart, stop. */
class InstanceEventsTest {
    private static final String SLEEPER = """
            name: sleeper
            runtime: shell
            command: ["/bin/sh", "-c", "exec sleep 300"]
            stop: { signal: TERM, timeout: 5s }
            """;

    @TempDir
    Path data;

    private Spew spew;

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive())
                    .forEach(i -> spew.instances().stop(i.id().value()));
            spew.close();
        }
    }

    @Test
    void eachChangeOfAnInstanceIsOneEventInOrder() {
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.appliances().apply("sleeper.yaml", SLEEPER);
        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        Instant before = Instant.now();
        try (Registration registration = spew.instances().onEvent(events::add)) {
            spew.instances().run(RunRequest.of("sleeper"));
            spew.instances().kill("sleeper-1", Signal.parse("KILL"));
            await(events, 3);
            spew.instances().start("sleeper-1");
            spew.instances().restart("sleeper-1");
            spew.instances().stop("sleeper-1");
            spew.instances().create(RunRequest.of("sleeper").withName("later"));
        }
        spew.instances().start("later");

        assertThat(events).extracting(event -> event.name() + " " + event.type() + " " + event.previous() + " → "
                + event.value()).containsExactly(
                "sleeper-1 state null → created",
                "sleeper-1 state created → running",
                "sleeper-1 state running → crashed",
                "sleeper-1 state crashed → running",
                "sleeper-1 state running → stopping",
                "sleeper-1 state stopping → stopped",
                "sleeper-1 restart 0 → 1",
                "sleeper-1 state stopped → running",
                "sleeper-1 state running → stopping",
                "sleeper-1 state stopping → stopped",
                "later state null → created");
        assertThat(events.get(2).exitStatus()).isEqualTo(ExitStatus.signaled("SIGKILL"));
        String host = spew.hosts().local().id();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.host()).isEqualTo(host);
            assertThat(event.appliance()).isEqualTo("sleeper");
            assertThat(event.time()).isBetween(before, Instant.now());
        });
        assertThat(events.subList(1, events.size())).extracting(InstanceEvent::time).isSorted();
    }

    @Test
    void anAutomaticRestartIsARestartEventBetweenRestartingAndRunning() {
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.appliances().apply("once.yaml", """
                name: once
                runtime: shell
                command: "[ -e crashed ] && exec sleep 300; touch crashed; exit 3"
                workdir: %s
                restart: { policy: on-failure, initial: 100ms }
                """.formatted(data));
        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        try (Registration registration = spew.instances().onEvent(events::add)) {
            spew.instances().run(RunRequest.of("once"));
            await(events, 6);
        }

        assertThat(events).extracting(event -> event.type() + " " + event.previous() + " → " + event.value())
                .containsExactly(
                        "state null → created",
                        "state created → running",
                        "state running → crashed",
                        "state crashed → restarting",
                        "restart 0 → 1",
                        "state restarting → running");
        assertThat(events.get(2).exitStatus()).isEqualTo(ExitStatus.exited(3));
    }

    private static void await(List<InstanceEvent> events, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(events).as("events so far").hasSizeGreaterThanOrEqualTo(count);
    }
}
