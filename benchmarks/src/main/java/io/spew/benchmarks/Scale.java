package io.spew.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.spew.Registration;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.impl.SpewEngine;
import io.spew.impl.json.Json;
import io.spew.impl.os.LibC;
import io.spew.daemon.api.InstanceSummary;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * {@code scale}: 10,000 supervised {@code sleep} instances under one real daemon (1,000 with
 * {@code --quick}), beside the same number of {@code sleep} children held by one JVM through
 * {@code ProcessBuilder} and {@code Process.onExit()}, in the same run. The {@code ProcessBuilder}
 * side and the engine API's each run in a new JVM of their own ({@link #main}), started one after
 * the other:
 * <ul>
 *   <li>the daemon's threads and resident memory (after a full GC) per instance or child;
 *   <li>the start rate, with {@value #CALLERS} callers at once: the daemon's
 *       {@code POST /api/v1/instances} (and, apart, the engine API's {@code run()} in a JVM) against
 *       {@code ProcessBuilder.start()};
 *   <li>the time from a SIGKILL to its {@code crashed} event read from the daemon's
 *       {@code GET /api/v1/events} (and, apart, from the engine API's listener), against the time to
 *       {@code Process.onExit()}, for 1,000 kills (200) spread over the loaded engine's life;
 *   <li>the CPU per start of the engine API and of {@code ProcessBuilder}: their JVM's
 *       CPU time over the starts, and the CPU time of the children (their {@code exec}s), which
 *       depends less on what else loads the machine than the rate does.
 * </ul>
 */
final class Scale implements Benchmark {
    private static final int CALLERS = 4;
    private static final String PROCESS_BUILDER = "process-builder";
    private static final String ENGINE = "engine";
    private static final String BARE_SPAWN = "bare-spawn";

    /** Runs one in-process side, {@code PHASE COUNT KILLS}, and prints its figures as JSON. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        int kills = Integer.parseInt(args[2]);
        Figures figures = switch (args[0]) {
            case PROCESS_BUILDER -> processBuilder(count, kills);
            case ENGINE -> engine(count, kills);
            case BARE_SPAWN -> bareSpawn(count);
            default -> throw new IllegalArgumentException("no such side: " + args[0]);
        };
        System.out.println(Json.mapper().writeValueAsString(figures));
        System.exit(0); // the engine's and the children's threads need not end first
    }

    /** One side run by {@link #main} in a new JVM with this one's class path and options. */
    private static Figures inFreshJvm(String phase, int count, int kills) throws Exception {
        List<String> command = OwnJvm.command(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Scale.class.getName(), phase, Integer.toString(count), Integer.toString(kills));
        Process side = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(side.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (side.waitFor() != 0) {
            throw new IOException("the " + phase + " side failed (exit " + side.exitValue() + "): " + output);
        }
        String[] lines = output.strip().split("\n");
        return Json.mapper().readValue(lines[lines.length - 1], Figures.class);
    }

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public List<Ratio> run(boolean quick, PrintStream out) throws Exception {
        int count = quick ? 1000 : 10_000;
        int kills = quick ? 200 : 1000;
        // Each side in a JVM of its own: a JVM that held 10,000 children and their 10,000 reaper
        // threads, or 10,000 instances, is not the JVM an embedding program starts with.
        Figures baseline = inFreshJvm(PROCESS_BUILDER, count, kills);
        out.printf(Locale.ROOT, "scale: ProcessBuilder, %d children: %s%n", count, baseline);
        Figures engine = inFreshJvm(ENGINE, count, kills);
        out.printf(Locale.ROOT, "scale: spew engine API, %d instances: %s%n", count, engine);
        Figures bare = inFreshJvm(BARE_SPAWN, count, kills);
        out.printf(Locale.ROOT, "scale: bare posix_spawn from a JVM, %d children: %s%n", count, bare);
        Figures spew = daemon(count, kills);
        out.printf(Locale.ROOT, "scale: spew daemon through its HTTP API, %d instances: %s%n", count, spew);
        // The goals are the daemon's, through its HTTP API (as measured for the issue); the engine's
        // own figures, without HTTP, follow apart.
        return List.of(
                new Ratio("scale-threads", spew.threads / (double) baseline.threads, "ProcessBuilder-threads (goal: at most 64 threads)"),
                new Ratio("scale-memory", spew.kibPerInstance / baseline.kibPerInstance, "ProcessBuilder-rss-per-child (goal: at most 40 KB per instance)"),
                new Ratio("scale-crash-p99", spew.crashP99Millis / baseline.crashP99Millis, "Process.onExit-p99 (the event read from GET /api/v1/events; goal: at most 100 ms)"),
                new Ratio("scale-start-rate", baseline.startsPerSecond / spew.startsPerSecond, "ProcessBuilder.start-rate (POST /api/v1/instances; goal: at least 500 per second)"),
                new Ratio("scale-crash-p99-engine", engine.crashP99Millis / baseline.crashP99Millis, "Process.onExit-p99 (the engine API's listener, in process)"),
                new Ratio("scale-start-rate-engine", baseline.startsPerSecond / engine.startsPerSecond, "ProcessBuilder.start-rate (the engine API's run(), in process)"),
                new Ratio("scale-start-rate-bare", bare.startsPerSecond / engine.startsPerSecond, "bare-posix_spawn-rate (the engine API's run(); the most starts this machine gives)"),
                new Ratio("scale-start-cpu-engine", engine.cpu.perStartMillis() / baseline.cpu.perStartMillis(), "ProcessBuilder.start-cpu (CPU per start of the JVM and the child, the engine API's run())"));
    }

    /**
     * The engine API in the JVM that runs it, as an embedding program uses it: {@code run()} from {@value #CALLERS}
     * callers, and the time from a SIGKILL to the {@code crashed} event its listener gets. Threads and
     * memory are the daemon's, measured apart, since this JVM holds the benchmark code too.
     */
    private static Figures engine(int count, int kills) throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "spew-scale-engine-");
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            spew.appliances().apply(new Appliance("bench", "shell", List.of("/bin/sleep", "3600"), Map.of(), null,
                    StopPolicy.DEFAULT, Map.of(), Map.of(), null));
            List<Instance> running = Collections.synchronizedList(new ArrayList<>());
            try {
                warmUp(spew);
                long cpuBefore = StartCpu.ownNanos();
                double rate = startRate(count, index -> running.add(spew.instances().run(RunRequest.of("bench"))));
                StartCpu cpu = StartCpu.of(cpuBefore, running.stream().map(Instance::pid).toList());
                Map<String, Long> killedAt = new ConcurrentHashMap<>();
                Map<String, Long> crashedAt = new ConcurrentHashMap<>();
                CountDownLatch allCrashed = new CountDownLatch(kills);
                Registration listening = spew.instances().onEvent(event -> {
                    long now = System.nanoTime();
                    if (event.state() == InstanceState.CRASHED && killedAt.containsKey(event.name())
                            && crashedAt.putIfAbsent(event.name(), now) == null) {
                        allCrashed.countDown();
                    }
                });
                Thread.sleep(2000); // the starts' work has settled
                for (int i = 0; i < kills; i++) {
                    Instance instance = running.get(i * (count / kills));
                    ProcessHandle process = ProcessHandle.of(instance.pid()).orElseThrow();
                    killedAt.put(instance.name(), System.nanoTime());
                    process.destroyForcibly();
                    Thread.sleep(5);
                }
                if (!allCrashed.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("only " + crashedAt.size() + " of " + kills + " crashed events arrived");
                }
                listening.close();
                Samples crashes = new Samples(kills);
                crashedAt.forEach((name, at) -> crashes.add(at - killedAt.get(name)));
                return new Figures(0, 0, rate, cpu, crashes.medianMillis(), crashes.percentileMillis(99));
            } finally {
                for (Instance instance : running) {
                    try {
                        spew.instances().kill(instance.id().value(), Signal.SIGKILL);
                    } catch (SpewException e) {
                        // one of those killed for the figures: it has ended
                    }
                }
                for (Instance instance : running) {
                    spew.instances().stop(instance.id().value());
                    spew.instances().remove(instance.id().value());
                }
            }
        } finally {
            Trees.delete(data);
        }
    }

    /** A few hundred starts and removals, so that the measured starts run compiled code. */
    private static void warmUp(Spew spew) {
        for (int i = 0; i < 300; i++) {
            Instance instance = spew.instances().run(RunRequest.of("bench"));
            spew.instances().kill(instance.id().value(), Signal.SIGKILL);
            spew.instances().stop(instance.id().value());
            spew.instances().remove(instance.id().value());
        }
    }

    /**
     * The most starts per second this machine gives, whatever supervises them: glibc's
     * {@code posix_spawn} of the same command from {@value #CALLERS} threads, with nothing else done
     * per start (no cgroup, no files, no descriptors closed, no state). The children are killed at the end.
     */
    private static Figures bareSpawn(int count) throws Exception {
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
        Pointer argv = Memory.allocateDirect(runtime, 3 * Long.BYTES, true);
        List<Pointer> strings = List.of(cString(runtime, "/bin/sleep"), cString(runtime, "3600"));
        argv.putPointer(0, strings.get(0));
        argv.putPointer(Long.BYTES, strings.get(1));
        Pointer envp = Memory.allocateDirect(runtime, Long.BYTES, true);
        List<Long> children = Collections.synchronizedList(new ArrayList<>());
        try {
            long cpuBefore = StartCpu.ownNanos();
            double rate = startRate(count, index -> {
                Pointer pid = Memory.allocateDirect(runtime, Long.BYTES, true);
                int error = libc.posix_spawn(pid, "/bin/sleep", null, null, argv, envp);
                if (error != 0) {
                    throw new IllegalStateException("posix_spawn failed: error " + error);
                }
                children.add((long) pid.getInt(0));
            });
            return new Figures(0, 0, rate, StartCpu.of(cpuBefore, children), 0, 0);
        } finally {
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Reference.reachabilityFence(strings);
        }
    }

    private static Pointer cString(jnr.ffi.Runtime runtime, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Pointer string = Memory.allocateDirect(runtime, bytes.length + 1, true);
        string.put(0, bytes, 0, bytes.length);
        return string;
    }

    /** As {@link #warmUp(Spew)}, through the daemon's HTTP API, so that its measured starts run compiled code too. */
    private static void warmUp(BenchDaemon daemon) throws Exception {
        for (int i = 0; i < 300; i++) {
            String id = Json.mapper().readTree(daemon.post("/api/v1/instances", "{\"appliance\":\"bench\"}"))
                    .path("id").asText();
            daemon.post("/api/v1/instances/" + id + "/kill", "{\"signal\":\"SIGKILL\"}");
            daemon.post("/api/v1/instances/" + id + "/stop", "{}");
            daemon.delete("/api/v1/instances/" + id);
        }
    }

    /** What one side measured. */
    private record Figures(long threads, double kibPerInstance, double startsPerSecond, StartCpu cpu,
            double crashP50Millis, double crashP99Millis) {
        @Override
        public String toString() {
            String footprint = threads == 0 ? "" : String.format(Locale.ROOT, "%d threads, %.1f KiB per instance, ",
                    threads, kibPerInstance);
            String crashes = crashP99Millis == 0 ? "" // a side that killed nothing (the bare one)
                    : String.format(Locale.ROOT, ", death to crashed p50 %.1f ms, p99 %.1f ms", crashP50Millis, crashP99Millis);
            return footprint + String.format(Locale.ROOT, "%.0f starts/s%s", startsPerSecond,
                    cpu == null ? "" : " (" + cpu + ")") + crashes;
        }
    }

    private static Figures processBuilder(int count, int kills) throws Exception {
        long pid = ProcessHandle.current().pid();
        settleHere();
        long idleRss = BenchDaemon.status(pid, "VmRSS:");
        List<Process> children = Collections.synchronizedList(new ArrayList<>());
        try {
            long cpuBefore = StartCpu.ownNanos();
            double rate = startRate(count, index -> {
                try {
                    // no pipe kept per child, as Spew keeps none: 10,000 of them would pass the host's open file limit
                    children.add(new ProcessBuilder("/bin/sleep", "3600").redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            StartCpu cpu = StartCpu.of(cpuBefore, children.stream().map(Process::pid).toList());
            settleHere();
            long threads = BenchDaemon.status(pid, "Threads:");
            double kib = (BenchDaemon.status(pid, "VmRSS:") - idleRss) / (double) count;
            Samples crashes = new Samples(kills);
            for (int i = 0; i < kills; i++) {
                Process child = children.get(i * (count / kills));
                long killed = System.nanoTime();
                var exited = child.onExit().thenApply(process -> System.nanoTime());
                child.destroyForcibly();
                crashes.add(exited.get(10, TimeUnit.SECONDS) - killed);
                Thread.sleep(5);
            }
            return new Figures(threads, kib, rate, cpu, crashes.medianMillis(), crashes.percentileMillis(99));
        } finally {
            children.forEach(Process::destroyForcibly);
            for (Process child : children) {
                child.waitFor();
            }
        }
    }

    private static Figures daemon(int count, int kills) throws Exception {
        try (BenchDaemon daemon = BenchDaemon.start("spew-scale-")) {
            daemon.post("/api/v1/appliances", "{\"source\":\"bench.yaml\",\"content\":\"name: bench\\nruntime: shell\\n"
                    + "command: [/bin/sleep, '3600']\\n\"}");
            warmUp(daemon);
            daemon.settle();
            long idleRss = daemon.status("VmRSS:");
            double rate = startRate(count, index -> {
                try {
                    daemon.post("/api/v1/instances", "{\"appliance\":\"bench\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            daemon.settle();
            long threads = daemon.status("Threads:");
            double kib = (daemon.status("VmRSS:") - idleRss) / (double) count;
            InstanceSummary[] running = Json.mapper().readValue(daemon.get("/api/v1/instances"), InstanceSummary[].class);
            Map<String, Long> killedAt = new ConcurrentHashMap<>();
            Map<String, Long> crashedAt = new ConcurrentHashMap<>();
            CountDownLatch allCrashed = new CountDownLatch(kills);
            var stream = daemon.events(line -> {
                long now = System.nanoTime();
                try {
                    JsonNode event = Json.mapper().readTree(line);
                    String name = event.path("name").asText();
                    if (event.path("state").asText().equals("crashed") && killedAt.containsKey(name)
                            && crashedAt.putIfAbsent(name, now) == null) {
                        allCrashed.countDown();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(500); // the stream is open
            for (int i = 0; i < kills; i++) {
                InstanceSummary instance = running[i * (count / kills)];
                ProcessHandle process = ProcessHandle.of(instance.pid()).orElseThrow();
                killedAt.put(instance.name(), System.nanoTime());
                process.destroyForcibly();
                Thread.sleep(5);
            }
            if (!allCrashed.await(60, TimeUnit.SECONDS)) {
                throw new IOException("only " + crashedAt.size() + " of " + kills + " crashed events arrived");
            }
            stream.cancel(true);
            Samples crashes = new Samples(kills);
            crashedAt.forEach((name, at) -> crashes.add(at - killedAt.get(name)));
            return new Figures(threads, kib, rate, null, crashes.medianMillis(), crashes.percentileMillis(99));
        }
    }

    /** Starts per second, from {@value #CALLERS} callers at once. */
    private static double startRate(int count, IntConsumer start) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            long begin = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int first = caller;
                done.add(callers.submit(() -> {
                    for (int index = first; index < count; index += CALLERS) {
                        start.accept(index);
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            return count / ((System.nanoTime() - begin) / 1e9);
        } finally {
            callers.shutdownNow();
        }
    }

    private static void settleHere() throws InterruptedException {
        System.gc();
        Thread.sleep(1000);
        System.gc();
        Thread.sleep(300);
    }
}
