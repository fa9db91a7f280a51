package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.build.BuildFetch;
import io.spew.build.BuildId;
import io.spew.daemon.api.BuildEvent;
import io.spew.daemon.api.RollEvent;
import io.spew.environment.RollProgress;
import io.spew.host.Host;
import io.spew.host.HostState;
import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceEvent.Type;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceState;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTextTest {
    private static final Instant TIME = Instant.parse("2026-05-01T12:00:03.120Z");
    private static final String LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault()).format(TIME);

    @Test
    void aCrashShowsThePreviousStateAndTheExit() {
        assertThat(line(Type.STATE, InstanceState.CRASHED, "none", 0, "running", ExitStatus.exited(1), null))
                .isEqualTo(LOCAL_TIME + "  node-a  hello-1 state running → crashed (exit 1)");
    }

    @Test
    void aCreationHasNoPreviousValue() {
        assertThat(line(Type.STATE, InstanceState.CREATED, "none", 0, null, null, null))
                .isEqualTo(LOCAL_TIME + "  node-a  hello-1 state created");
    }

    @Test
    void aFailureShowsItsMessageNotAnOlderExit() {
        assertThat(line(Type.STATE, InstanceState.FAILED, "none", 0, "crashed", ExitStatus.exited(1),
                "/bin/nosuch: not found")).endsWith("hello-1 state crashed → failed (/bin/nosuch: not found)");
    }

    @Test
    void restartsAndHealthShowTheirValues() {
        assertThat(line(Type.RESTART, InstanceState.RUNNING, "none", 3, "2", null, null))
                .endsWith("  hello-1 restarts 2 → 3");
        assertThat(line(Type.HEALTH, InstanceState.RUNNING, "unhealthy", 0, "healthy", null, "tcp 8080 refused"))
                .endsWith("  hello-1 health healthy → unhealthy (tcp 8080 refused)");
    }

    @Test
    void anUnknownHostIsShownByItsId() {
        InstanceEvent event = new InstanceEvent(TIME, "h-2", InstanceId.parse("0123456789ab"), "hello-1", "hello",
                Type.STATE, InstanceState.RUNNING, "none", 0, "created", null, null);
        assertThat(EventText.line(event, id -> Map.of("h-1", "node-a").getOrDefault(id, id)))
                .isEqualTo(LOCAL_TIME + "  h-2  hello-1 state created → running");
    }

    @Test
    void aStepOfARollShowsItsApplianceVersionsAndCounts() {
        RollEvent replaced = RollEvent.of(new RollProgress(TIME, "web", RollProgress.Phase.REPLACED, 1, 2, 2, 6,
                "web-1, web-2"));
        assertThat(EventText.line(replaced)).isEqualTo(LOCAL_TIME + "  web roll version 1 → 2: 2/6 replaced (web-1, web-2)");
        RollEvent restart = RollEvent.of(new RollProgress(TIME, "web", RollProgress.Phase.STARTED, 3, 3, 0, 4, null));
        assertThat(EventText.line(restart)).endsWith("  web roll version 3: started, version 3, 0/4 on the new version");
        RollEvent paused = RollEvent.of(new RollProgress(TIME, "web", RollProgress.Phase.PAUSED, 1, 2, 1, 6, null));
        assertThat(RollWatch.line(paused.progress()))
                .isEqualTo("roll web: paused after the canaries, 1/6: 'spew promote web' goes on");
    }

    @Test
    void inAClusterAStepOfARollNamesItsHostByNameOrByIdWhenNamesRepeat() {
        RollProgress done = new RollProgress(TIME, "web", RollProgress.Phase.DONE, 1, 2, 2, 2, null,
                "0123456789abcdef");
        assertThat(RollWatch.line(done, RollWatch.hostLabels(List.of(host("0123456789abcdef", "node-a")))))
                .as("one host: as before").isEqualTo("roll web: done, 2/2");
        var named = RollWatch.hostLabels(List.of(host("0123456789abcdef", "node-a"),
                host("fedcba9876543210", "node-b")));
        assertThat(RollWatch.line(done, named)).isEqualTo("roll web on node-a: done, 2/2");
        assertThat(EventText.line(RollEvent.of(done), named)).isEqualTo(LOCAL_TIME + "  node-a  web roll version 1 → 2:"
                + " done, 2/2");
        var sameNames = RollWatch.hostLabels(List.of(host("0123456789abcdef", "box"), host("fedcba9876543210", "box")));
        assertThat(RollWatch.line(done, sameNames)).isEqualTo("roll web on 01234567: done, 2/2");
    }

    private static Host host(String id, String name) {
        return new Host(id, name, "127.0.0.1", HostState.UP, false, List.of("shell"), Map.of(), 2, 1L << 30);
    }

    private static String line(Type type, InstanceState state, String health, int restarts, String previous,
            ExitStatus exit, String message) {
        InstanceEvent event = new InstanceEvent(TIME, "h-1", InstanceId.parse("0123456789ab"), "hello-1", "hello",
                type, state, health, restarts, previous, exit, message);
        return EventText.line(event, id -> id.equals("h-1") ? "node-a" : id);
    }

    @Test
    void aStepOfAFetchShowsTheBuildTheHostAndHowFarItGot() {
        BuildId build = BuildId.parse("1a2b3c4d5e6f" + "0".repeat(52));
        java.util.function.Function<String, String> names = id -> Map.of("h-1", "node-a").getOrDefault(id, id);
        assertThat(EventText.line(BuildEvent.of(new BuildFetch(TIME, build, "h-1", BuildFetch.Phase.FETCHING, 0,
                20_000_000, "web@1.4")), names))
                .isEqualTo(LOCAL_TIME + "  build 1a2b3c4d5e6f fetching from node-a (web@1.4, 20.0 MB)");
        assertThat(EventText.line(BuildEvent.of(new BuildFetch(TIME, build, "h-1", BuildFetch.Phase.FETCHING,
                8_000_000, 20_000_000, null)), names)).endsWith("build 1a2b3c4d5e6f fetching from node-a: 8.0 MB of 20.0 MB");
        assertThat(EventText.line(BuildEvent.of(new BuildFetch(TIME, build, "h-2", BuildFetch.Phase.FAILED, 0, 0,
                "it sent an archive whose sha256 is 00, not the one asked for: not kept")), names))
                .endsWith("build 1a2b3c4d5e6f failed from h-2: it sent an archive whose sha256 is 00, not the one"
                        + " asked for: not kept");
        assertThat(EventText.line(BuildEvent.of(new BuildFetch(TIME, build, "h-1", BuildFetch.Phase.FETCHED,
                20_000_000, 20_000_000, "web@1.4")), names)).endsWith("build 1a2b3c4d5e6f fetched from node-a (web@1.4)");
    }
}
