package io.spew.runtime.nspawn;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.build.BuildCreate;
import io.spew.build.BuildImport;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.StopPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nspawn runtime through the engine: a signed busybox build made with {@code spew build create},
 * imported, and run as instances on overlay roots of their own.
 */
class NspawnEngineIT {
    private static final String SCRIPT = "echo \"$SPEW_INSTANCE_NAME\" > \"/written-by-$SPEW_INSTANCE_NAME\"\n"
            + "echo \"ready $(ls / | grep -c written-by)\"\nexec sleep 1000";

    @TempDir
    Path directory;

    private Path data;
    private Path rootfs;

    @BeforeAll
    static void requireNspawn() {
        NspawnHost.requireNspawn();
    }

    @BeforeEach
    void makeBuild() throws Exception {
        data = directory.resolve("data");
        rootfs = BusyboxRoot.make(directory.resolve("rootfs"), SCRIPT);
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            CreatedBuild created = spew.builds().create(new BuildCreate(rootfs, "busybox", "1",
                    directory.resolve("busybox-1.tar.zst"), null, false));
            spew.builds().importBuild(new BuildImport(created.archive(), created.signature(), false, null, null, null),
                    ImportProgress.NONE);
            spew.appliances().apply(new Appliance("box", "nspawn", "busybox@1", List.of(), Map.of(), null,
                    new StopPolicy(io.spew.instance.Signal.SIGTERM, Duration.ofSeconds(5)), Map.of(), Map.of(), null));
        }
    }

    @Test
    void twoInstancesOfOneBuildNeitherSeeTheOthersFilesAndTheBuildIsUnchanged() throws Exception {
        List<String> baseline = mountsOf(data);
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            Instance first = spew.instances().run(RunRequest.of("box"));
            Instance second = spew.instances().run(RunRequest.of("box"));
            for (Instance instance : List.of(first, second)) {
                assertThat(awaitLog(spew, instance.spec().name(), "ready")).contains("ready 1");
            }
            Path firstUpper = data.resolve("instances").resolve(first.id().value()).resolve("upper");
            Path secondUpper = data.resolve("instances").resolve(second.id().value()).resolve("upper");
            assertThat(firstUpper.resolve("written-by-" + first.spec().name())).exists();
            assertThat(firstUpper.resolve("written-by-" + second.spec().name())).doesNotExist();
            assertThat(secondUpper.resolve("written-by-" + second.spec().name())).exists();
            assertThat(secondUpper.resolve("written-by-" + first.spec().name())).doesNotExist();
            try (Stream<Path> builds = Files.walk(data.resolve("builds"))) {
                assertThat(builds.filter(path -> path.getFileName().toString().startsWith("written-by"))).isEmpty();
            }

            spew.instances().stop(first.spec().name());
            spew.instances().start(first.spec().name());
            assertThat(awaitLog(spew, first.spec().name(), "ready 1\nready 1")).as("its own file survives a restart")
                    .isNotNull();
            for (Instance instance : List.of(first, second)) {
                assertThat(spew.instances().stop(instance.spec().name()).state()).isEqualTo(InstanceState.STOPPED);
                spew.instances().remove(instance.spec().name());
            }
        }
        assertThat(mountsOf(data)).isEqualTo(baseline).isEmpty();
        assertThat(data.resolve("instances")).isEmptyDirectory();
    }

    @Test
    void manyStartsAndStopsLeakNoMount() throws Exception {
        String id;
        String name = "cycled-" + ProcessHandle.current().pid(); // a machine name no other test on the host has
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            Instance instance = spew.instances().run(RunRequest.of("box").withName(name));
            id = instance.id().value();
            awaitLog(spew, name, "ready");
            spew.instances().stop(name);
            assertThat(mountsOf(data)).isEmpty();
            for (int cycle = 0; cycle < 100; cycle++) {
                assertThat(spew.instances().start(name).state()).isIn(InstanceState.STARTING, InstanceState.RUNNING);
                assertThat(spew.instances().stop(name).state()).isEqualTo(InstanceState.STOPPED);
                assertThat(Mounts.isMountPoint(data.resolve("instances").resolve(instance.id().value()).resolve("merged")))
                        .as("mounted after stop %d", cycle).isFalse();
            }
            spew.instances().remove(instance.id().value());
        }
        // Only this test's mounts count: other tests on the machine may mount and unmount meanwhile.
        assertThat(mountsOf(data)).isEmpty();
        assertThat(data.resolve("instances")).isEmptyDirectory();
        for (Path left : List.of(Path.of("/run/systemd/nspawn/propagate", name), Path.of("/sys/fs/cgroup/spew", id),
                Path.of("/sys/fs/cgroup/pids/spew", id), Path.of("/sys/fs/cgroup/unified/spew", id))) {
            assertThat(left).doesNotExist();
        }
    }

    @Test
    void instancesOutliveTheEngineAndTheirMountsGoWhenTheyEnd() throws Exception {
        Instance kept;
        Instance killed;
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            kept = spew.instances().run(RunRequest.of("box").withName("kept"));
            killed = spew.instances().run(RunRequest.of("box").withName("killed"));
            awaitLog(spew, "kept", "ready");
            awaitLog(spew, "killed", "ready");
        }
        // No engine now, as after a kill -9 of the daemon: one container dies meanwhile.
        long command = ProcessTree.child(ProcessTree.containerInit(killed.pid()).orElseThrow()).orElseThrow();
        ProcessHandle.of(command).orElseThrow().destroyForcibly();
        awaitEnded(killed.pid());
        assertThat(mountsOf(data)).hasSize(2);
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            assertThat(spew.instances().get("kept").state()).isEqualTo(InstanceState.RUNNING);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (spew.instances().get("killed").state().isActive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(spew.instances().get("killed").state().isActive()).isFalse();
            assertThat(mountsOf(data)).hasSize(1);
            spew.instances().stop("kept");
            spew.instances().remove("kept");
            spew.instances().remove("killed");
        }
        assertThat(mountsOf(data)).isEmpty();
    }

    @Test
    void theWholeContainerIsInTheInstancesCgroupWhichGoesWhenItStops() throws Exception {
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            Instance instance = spew.instances().run(RunRequest.of("box"));
            awaitLog(spew, instance.spec().name(), "ready");
            String id = instance.id().value();
            long command = ProcessTree.command(instance.pid()).orElseThrow();
            long init = ProcessTree.containerInit(instance.pid()).orElseThrow();
            assertThat(NspawnHost.CONTEXT.processes().cgroupProcesses(id)).contains(instance.pid(), init, command);

            spew.instances().stop(instance.spec().name());

            assertThat(NspawnHost.CONTEXT.processes().cgroupProcesses(id)).isEmpty();
            for (Path subtree : List.of(Path.of("/sys/fs/cgroup/pids/spew"), Path.of("/sys/fs/cgroup/spew"),
                    Path.of("/sys/fs/cgroup/unified/spew"))) {
                assertThat(subtree.resolve(id)).doesNotExist();
            }
            spew.instances().remove(instance.spec().name());
        }
    }

    /** Limits through the cgroup files (machined does not run here), v1 or v2 as the host has them. */
    @Test
    void limitsHoldEveryProcessOfTheContainer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(HostTools.system().machined(),
                "systemd-machined runs this host: limits are scope properties there");
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            spew.appliances().apply(new Appliance("limited", "nspawn", "busybox@1", List.of(), Map.of(), null,
                    StopPolicy.DEFAULT, Map.of(), Map.of("memory", "64M", "cpus", "0.5", "pids", "50"), null));
            Instance instance = spew.instances().run(RunRequest.of("limited"));
            awaitLog(spew, instance.spec().name(), "ready");
            String id = instance.id().value();
            assertThat(spew.instances().get(instance.spec().name()).spec().config())
                    .containsEntry("memory", "64M").containsEntry("cpus", "0.5").containsEntry("pids", "50");
            List<Path> groups = limitGroups(CgroupLimits.detect(Path.of("/sys/fs/cgroup")), id);
            for (Path group : groups) {
                List<String> procs = processesBelow(group);
                assertThat(procs).as(group.toString()).contains(Long.toString(instance.pid()));
                assertThat(procs.size()).as(group + ": nspawn, the container's init and its command").isGreaterThanOrEqualTo(3);
            }
            spew.instances().stop(instance.spec().name());
            for (Path group : groups) {
                assertThat(group).doesNotExist();
            }
            spew.instances().remove(instance.spec().name());
        }
    }

    /** Checks the limit files of the instance's groups (64M, 0.5 CPU, 50 pids); returns the groups. */
    private static List<Path> limitGroups(CgroupLimits cgroups, String id) throws IOException {
        if (cgroups instanceof CgroupV2 v2) {
            Path group = v2.group(id);
            assertThat(Files.readString(group.resolve("memory.max")).trim()).isEqualTo(Long.toString(64L << 20));
            assertThat(Files.readString(group.resolve("cpu.max")).trim()).isEqualTo("50000 100000");
            assertThat(Files.readString(group.resolve("pids.max")).trim()).isEqualTo("50");
            return List.of(group);
        }
        CgroupV1 v1 = (CgroupV1) cgroups;
        assertThat(Files.readString(v1.group("memory", id).resolve("memory.limit_in_bytes")).trim())
                .isEqualTo(Long.toString(64L << 20));
        assertThat(Files.readString(v1.group("cpu", id).resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
        assertThat(Files.readString(v1.group("cpu", id).resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
        assertThat(Files.readString(v1.group("pids", id).resolve("pids.max")).trim()).isEqualTo("50");
        return List.of(v1.group("memory", id), v1.group("cpu", id), v1.group("pids", id));
    }

    /** The pids in a cgroup and the groups below it (nspawn makes some on cgroup v2). */
    private static List<String> processesBelow(Path group) throws IOException {
        try (Stream<Path> files = Files.walk(group)) {
            List<Path> procs = files.filter(file -> file.getFileName().toString().equals("cgroup.procs")).toList();
            List<String> pids = new java.util.ArrayList<>();
            for (Path file : procs) {
                pids.addAll(Files.readAllLines(file));
            }
            return pids;
        }
    }

    /**
     * The configured stop signal reaches the command, which cleans up within the timeout; one that
     * takes longer is killed when the timeout ends. SIGUSR1 is a signal nspawn's {@code --kill-signal}
     * could not carry: nspawn sends it to the stub init (PID 1), which passes on only SIGHUP and
     * SIGTERM (for SIGINT, SIGRTMIN+3, ...) and ignores the rest.
     */
    @Test
    void stopSendsTheConfiguredSignalToTheCommandThenKillsAfterTheTimeout() throws Exception {
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            // Cleans up in 1 s of a 10 s timeout: it ends as it chose, its last write made.
            Instance quick = trapping(spew, "1", Duration.ofSeconds(10));
            long begin = System.nanoTime();
            Instance stopped = spew.instances().stop(quick.spec().name());
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("the cleanup ran to its end")
                    .isBetween(Duration.ofMillis(900), Duration.ofMillis(9_000));
            assertThat(awaitLog(spew, quick.spec().name(), "cleaning")).isNotNull();
            assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(stopped.exitStatus()).isEqualTo(io.spew.instance.ExitStatus.exited(0));
            assertThat(upper(quick).resolve("cleaned")).hasContent("cleaned\n");

            // Would take 30 s of a 2 s timeout: killed when the timeout ends.
            Instance slow = trapping(spew, "30", Duration.ofSeconds(2));
            begin = System.nanoTime();
            stopped = spew.instances().stop(slow.spec().name());
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("killed at the timeout")
                    .isBetween(Duration.ofMillis(1_900), Duration.ofSeconds(10));
            assertThat(awaitLog(spew, slow.spec().name(), "cleaning")).isNotNull();
            assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(stopped.exitStatus()).isEqualTo(io.spew.instance.ExitStatus.signaled("SIGKILL"));
            assertThat(upper(slow).resolve("cleaned")).doesNotExist();
            spew.instances().remove(quick.spec().name());
            spew.instances().remove(slow.spec().name());
        }
        assertThat(mountsOf(data)).isEmpty();
    }

    @Test
    void bindMountsTmpfsAndAPrivateNetworkAsTheApplianceAsks() throws Exception {
        Path shared = Files.createDirectories(directory.resolve("shared"));
        Files.writeString(shared.resolve("greeting"), "from the host\n");
        Path writable = Files.createDirectories(directory.resolve("writable"));
        String script = "cat /shared/greeting; echo written > /out/file; echo x > /shared/refused 2>/dev/null"
                + " || echo read-only; grep -c ' /scratch tmpfs' /proc/mounts; ls /sys/class/net; echo done";
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            spew.appliances().apply(new Appliance("bound", "nspawn", "busybox@1", List.of("/bin/sh", "-c", script),
                    Map.of(), null, StopPolicy.DEFAULT, Map.of(), Map.of("bind-ro", shared + ":/shared",
                            "bind", writable + ":/out", "tmpfs", "/scratch", "private-network", "true"), null));
            Instance instance = spew.instances().run(RunRequest.of("bound"));
            assertThat(awaitLog(spew, instance.spec().name(), "done"))
                    .isEqualTo("from the host\nread-only\n1\nlo\ndone\n");
            assertThat(writable.resolve("file")).hasContent("written");
            assertThat(shared.resolve("refused")).doesNotExist();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (spew.instances().get(instance.spec().name()).state().isActive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            spew.instances().remove(instance.spec().name());
        }
        assertThat(mountsOf(data)).isEmpty();
    }

    /** Runs an instance whose command traps SIGUSR1, the stop signal, and cleans up for {@code pause} seconds. */
    private static Instance trapping(Spew spew, String pause, Duration timeout) throws Exception {
        String script = "trap 'echo cleaning; sleep " + pause + "; echo cleaned > /cleaned; exit 0' USR1; echo ready;"
                + " while true; do sleep 0.1; done";
        String name = "trapping-" + pause;
        spew.appliances().apply(new Appliance(name, "nspawn", "busybox@1", List.of("/bin/sh", "-c", script),
                Map.of(), null, new StopPolicy(io.spew.instance.Signal.SIGUSR1, timeout), Map.of(), Map.of(), null));
        Instance instance = spew.instances().run(RunRequest.of(name));
        awaitLog(spew, instance.spec().name(), "ready");
        return instance;
    }

    private Path upper(Instance instance) {
        return data.resolve("instances").resolve(instance.id().value()).resolve("upper");
    }

    /**
     * The mounts under the data directory, once those being taken down are gone (a lazy unmount
     * leaves the table at once, yet give the kernel a moment on a busy machine).
     */
    private static List<String> mountsOf(Path data) throws InterruptedException {
        String prefix = " " + data.toAbsolutePath() + "/";
        List<String> mounts = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            mounts = Mounts.mountInfo().stream().filter(line -> line.contains(prefix)).toList();
            if (mounts.isEmpty()) {
                return mounts;
            }
            Thread.sleep(20);
        }
        return mounts;
    }

    private static String awaitLog(Spew spew, String name, String text) throws Exception {
        Path log = spew.instances().log(name, LogStream.STDOUT);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " did not say '" + text + "': " + readOrEmpty(log)
                + readOrEmpty(spew.instances().log(name, LogStream.STDERR)));
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the process is gone or a zombie (this JVM is nspawn's parent and reaps it no more). */
    private static void awaitEnded(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nspawn " + pid + " did not end");
    }
}
