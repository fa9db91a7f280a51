package io.spew.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies with real crashing processes: backoff, its cap and reset, the limit, and what never restarts. */
class RestartPolicyTest {
    private static final Pattern PLANNED = Pattern.compile("^restart \\d+ in (\\d+\\.\\d) s");

    @TempDir
    Path data;

    @TempDir
    Path work;

    private Spew spew;
    private final List<Instance> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (spew != null) {
            spew.instances().list().stream().filter(i -> i.state().isActive() || i.state() == InstanceState.RESTARTING)
                    .forEach(i -> spew.instances().stop(i.id().value()));
            spew.close();
        }
    }

    private Spew engine() {
        Spew engine = SpewEngine.builder().dataDirectory(data).start();
        engine.instances().onChange(changes::add);
        return engine;
    }

    @Test
    void backoffGrowsCapsAndStartsAgainAfterAHealthyRun() {
        spew = engine();
        // runs 1-5 crash at once, run 6 lives 1.5 s (longer than reset_after) then crashes, 7 and 8 crash at once
        spew.appliances().apply("loop.yaml", """
                name: loop
                runtime: shell
                command: n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -eq 6 ] && sleep 1.5; [ $n -ge 9 ] && exec sleep 300; exit 3
                workdir: %s
                restart: { policy: on-failure, initial: 200ms, max: 700ms, reset_after: 1s }
                """.formatted(work));
        spew.instances().run(RunRequest.of("loop"));
        await("loop-1", i -> i.restarts() == 8 && i.state() == InstanceState.RUNNING, Duration.ofSeconds(20));

        // the delays planned: 200, 400, 700 (capped), 700, 700 ms, up to 20% either way (never past the cap),
        // then a new series after the long run
        List<Long> planned = plannedDelays();
        long[] nominal = {200, 400, 700, 700, 700, 200, 400, 700};
        assertThat(planned).hasSize(nominal.length);
        for (int i = 0; i < nominal.length; i++) {
            assertThat(planned.get(i)).as("planned delay %d", i + 1)
                    .isBetween(nominal[i] * 8 / 10 - 50, Math.min(nominal[i] * 12 / 10, 700) + 50);
        }
        // and kept: never earlier than planned (the message rounds to 0.1 s), and not much later
        List<Long> delays = delaysBetweenCrashAndStart();
        assertThat(delays).hasSize(nominal.length);
        for (int i = 0; i < nominal.length; i++) {
            assertThat(delays.get(i)).as("delay %d", i + 1).isBetween(planned.get(i) - 60, planned.get(i) + 2000);
        }
        assertThat(changes).filteredOn(i -> i.state() == InstanceState.RESTARTING)
                .allSatisfy(i -> assertThat(i.message()).contains("after exit 3"));
    }

    @Test
    void theLimitFailsTheInstanceWithTheReason() {
        spew = engine();
        spew.appliances().apply("limit.yaml", """
                name: limited
                runtime: shell
                command: exit 1
                restart: { policy: always, initial: 50ms, max: 50ms, limit: 3 within 1m }
                """);
        spew.instances().run(RunRequest.of("limited"));
        Instance failed = await("limited-1", i -> i.state() == InstanceState.FAILED, Duration.ofSeconds(10));
        assertThat(failed.restarts()).isEqualTo(3);
        assertThat(failed.message()).contains("gave up: 3 restarts within 60 s").contains("exit 1");
        sleep(300);
        assertThat(spew.instances().get("limited-1").state()).isEqualTo(InstanceState.FAILED);
        // a start by hand begins again
        spew.instances().start("limited-1");
        assertThat(await("limited-1", i -> i.restarts() > 3, Duration.ofSeconds(5)).restarts()).isGreaterThan(3);
    }

    @Test
    void aCommandThatCannotRunFailsAtOnceWithoutRetries() {
        spew = engine();
        spew.appliances().apply("missing.yaml", """
                name: missing
                runtime: shell
                command: no-such-command-anywhere
                restart: { policy: always, initial: 50ms }
                """);
        spew.instances().run(RunRequest.of("missing"));
        Instance failed = await("missing-1", i -> i.state() == InstanceState.FAILED, Duration.ofSeconds(5));
        assertThat(failed.restarts()).isZero();
        assertThat(failed.exitStatus()).isEqualTo(ExitStatus.exited(127));
        assertThat(failed.message()).contains("a restart cannot help");
    }

    @Test
    void onFailureLeavesACleanExitAloneAndAlwaysDoesNot() {
        spew = engine();
        spew.appliances().apply("clean.yaml", "{ name: clean, runtime: shell, command: exit 0, restart: on-failure }");
        spew.appliances().apply("again.yaml",
                "{ name: again, runtime: shell, command: exit 0, restart: { policy: always, initial: 50ms } }");
        spew.instances().run(RunRequest.of("clean"));
        spew.instances().run(RunRequest.of("again"));
        await("again-1", i -> i.restarts() >= 2, Duration.ofSeconds(5));
        Instance clean = await("clean-1", i -> !i.state().isActive(), Duration.ofSeconds(5));
        sleep(200);
        assertThat(spew.instances().get("clean-1").state()).isEqualTo(InstanceState.STOPPED);
        assertThat(spew.instances().get("clean-1").restarts()).isZero();
        assertThat(clean.exitStatus()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void stopDuringTheBackoffCancelsTheRestart() {
        spew = engine();
        spew.appliances().apply("slow.yaml", """
                name: slow
                runtime: shell
                command: exit 2
                restart: { policy: on-failure, initial: 1s }
                """);
        spew.instances().run(RunRequest.of("slow"));
        await("slow-1", i -> i.state() == InstanceState.RESTARTING, Duration.ofSeconds(5));
        assertThat(spew.instances().stop("slow-1").state()).isEqualTo(InstanceState.STOPPED);
        sleep(1500);
        assertThat(spew.instances().get("slow-1").state()).isEqualTo(InstanceState.STOPPED);
        assertThat(spew.instances().get("slow-1").restarts()).isZero();
    }

    @Test
    void aPendingRestartAndItsCountersSurviveTheEngine() {
        spew = engine();
        spew.appliances().apply("later.yaml", """
                name: later
                runtime: shell
                command: n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ] && exec sleep 300; exit 1
                workdir: %s
                restart: { policy: on-failure, initial: 600ms, max: 10s }
                """.formatted(work));
        spew.instances().run(RunRequest.of("later"));
        await("later-1", i -> i.state() == InstanceState.RESTARTING && i.restarts() == 1, Duration.ofSeconds(10));
        spew.close();
        spew = engine();
        assertThat(spew.instances().get("later-1").state()).isEqualTo(InstanceState.RESTARTING);
        Instance running = await("later-1", i -> i.state() == InstanceState.RUNNING, Duration.ofSeconds(10));
        assertThat(running.restarts()).isEqualTo(2);
        // the second restart of the series waited twice the first: the attempt count went on
        assertThat(spew.instances().get("later-1").startedAt()).isNotNull();
        assertThat(changes).filteredOn(i -> i.state() == InstanceState.RESTARTING).last()
                .satisfies(i -> assertThat(i.message()).startsWith("restart 2 in 1."));
    }

    /** For each restart, the time from the crash to the start of the next process. */
    private List<Long> delaysBetweenCrashAndStart() {
        List<Long> delays = new ArrayList<>();
        Instance crashed = null;
        for (Instance change : changes) {
            if (change.state() == InstanceState.CRASHED) {
                crashed = change;
            } else if (change.state() == InstanceState.RUNNING && crashed != null) {
                delays.add(Duration.between(crashed.finishedAt(), change.startedAt()).toMillis());
                crashed = null;
            }
        }
        return delays;
    }

    /** The delays the restarting states announce ("restart 2 in 0.4 s after exit 3"), in milliseconds. */
    private List<Long> plannedDelays() {
        List<Long> planned = new ArrayList<>();
        for (Instance change : changes) {
            if (change.state() == InstanceState.RESTARTING) {
                Matcher matcher = PLANNED.matcher(change.message());
                assertThat(matcher.find()).as(change.message()).isTrue();
                planned.add(Math.round(Double.parseDouble(matcher.group(1)) * 1000));
            }
        }
        return planned;
    }

    private Instance await(String ref, Predicate<Instance> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Instance instance = spew.instances().get(ref);
            if (condition.test(instance)) {
                return instance;
            }
            sleep(5);
        }
        throw new AssertionError(ref + " never reached the expected state: " + spew.instances().get(ref));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
