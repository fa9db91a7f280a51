package io.spew.impl.os;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceId;
import io.spew.instance.Signal;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances' cgroups on this host (as root): born inside, killed whole, removed. */
class CgroupsIT {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path directory;

    private final String name = InstanceId.random().value();
    private final LinuxHostProcesses processes = new LinuxHostProcesses();

    @AfterEach
    void cleanUp() {
        processes.killAll(name);
        processes.close();
    }

    @Test
    void aChildThatForksAtOnceIsBornInsideTheCgroup() throws Exception {
        assertThat(processes.tracksCgroups()).as("cgroups are writable as root").isTrue();
        SpawnedProcess main = processes.spawn(request("sleep 1000 & exec sleep 1000"));
        CompletableFuture<ExitStatus> exit = watch(processes, main.pid());
        awaitTrue(() -> comm(main.pid()).equals("sleep") && children(main.pid()).size() == 1);
        long child = children(main.pid()).get(0);

        assertThat(processes.cgroupProcesses(name)).containsExactlyInAnyOrder(main.pid(), child);

        assertThat(processes.killAll(name)).isTrue();
        assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.signaled("SIGKILL"));
        awaitTrue(() -> !isAlive(child));
        assertThat(processes.cgroupProcesses(name)).isEmpty();
    }

    @Test
    void aChildForkedAtOnceByAProgramThatExitsAtOnceIsInTheCgroupFromItsFirstInstruction() throws Exception {
        Path seen = directory.resolve("seen");
        SpawnedProcess main = processes.spawn(request("cat /proc/self/cgroup > " + seen + " & exit 0"));
        assertThat(watch(processes, main.pid()).get(10, SECONDS)).isEqualTo(ExitStatus.exited(0));
        awaitTrue(() -> processes.cgroupProcesses(name).isEmpty() && Files.exists(seen));
        assertThat(Files.readString(seen)).contains(":pids:/spew/" + name + "\n");
    }

    @Test
    void onCgroupV1TheProgramItselfIsSpawnedInsideAndTheSpawningThreadGoesBack() throws Exception {
        assertThat(Path.of("/sys/fs/cgroup/pids/cgroup.procs")).as("this host has cgroup v1's pids").exists();
        String home = Files.readString(Path.of("/proc/thread-self/cgroup"));
        SpawnedProcess main = processes.spawn(new SpawnRequest(List.of("sleep", "1000"), ENV, null,
                directory.resolve("out"), directory.resolve("out"), true, name));

        // No shell that joins first: the program runs in the group when spawn returns.
        assertThat(Files.readString(Path.of("/proc", Long.toString(main.pid()), "cgroup")))
                .contains(":pids:/spew/" + name + "\n");
        assertThat(Files.readString(Path.of("/proc", Long.toString(main.pid()), "cmdline")))
                .isEqualTo("/usr/bin/sleep\0" + "1000\0");
        assertThat(Files.readString(Path.of("/proc/thread-self/cgroup"))).isEqualTo(home);
        assertThat(processes.cgroupProcesses(name)).containsExactly(main.pid());
        // A shell that joins the group first writes its pid to cgroup.procs: a write(2) that /proc/PID/io
        // still counts after its exec of the program, which itself writes nothing.
        awaitTrue(() -> comm(main.pid()).equals("sleep"));
        assertThat(Files.readString(Path.of("/proc", Long.toString(main.pid()), "io"))).contains("syscw: 0\n");
    }

    @Test
    void threadsThatSpawnAtOnceEachSpawnIntoTheirOwnCgroupAndGoBack() throws Exception {
        List<String> names = IntStream.range(0, 40).mapToObj(i -> name + "-" + i).toList();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Long>> spawns = names.stream().map(group -> CompletableFuture.supplyAsync(
                    () -> processes.spawn(new SpawnRequest(List.of("sleep", "1000"), ENV, null,
                            directory.resolve("out"), directory.resolve("out"), true, group)).pid(), callers)).toList();
            for (int i = 0; i < names.size(); i++) {
                long pid = spawns.get(i).get(20, SECONDS);
                assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")))
                        .contains(":pids:/spew/" + names.get(i) + "\n");
                assertThat(processes.cgroupProcesses(names.get(i))).containsExactly(pid);
            }
            String home = Files.readString(Path.of("/proc/thread-self/cgroup"));
            try (Stream<Path> threads = Files.list(Path.of("/proc/self/task"))) {
                for (Path thread : threads.toList()) {
                    assertThat(Files.readString(thread.resolve("cgroup"))).as("thread %s", thread).isEqualTo(home);
                }
            }
        } finally {
            callers.shutdown();
            names.forEach(processes::killAll);
        }
    }

    @Test
    void killAllKillsWhatLeftTheSessionAndRemovesTheCgroup() throws Exception {
        Path grandchildPid = directory.resolve("grandchild.pid");
        SpawnedProcess main = processes.spawn(request(
                "setsid sh -c 'echo $$ > " + grandchildPid + "; exec sleep 1000' & exec sleep 1000"));
        CompletableFuture<ExitStatus> exit = watch(processes, main.pid());
        long grandchild = awaitPid(grandchildPid);
        processes.signalGroup(main.pid(), Signal.SIGKILL);
        exit.get(10, SECONDS);
        assertThat(isAlive(grandchild)).as("a process that called setsid outlives its process group").isTrue();
        assertThat(processes.cgroupProcesses(name)).containsExactly(grandchild);

        assertThat(processes.killAll(name)).isTrue();

        awaitTrue(() -> !isAlive(grandchild));
        assertThat(cgroupDirectories()).noneMatch(directory -> Files.exists(directory.resolve(name)));
        assertThat(processes.killAll(name)).as("idempotent").isTrue();
    }

    @Test
    void onCgroupV2AChildThatForksAtOnceIsBornInsideTooAndCgroupKillEndsIt() throws Exception {
        // Not under @TempDir: its clean-up would walk into the mounted hierarchy.
        Path mount = Files.createTempDirectory("spew-cgroup2-");
        run("mount", "-t", "cgroup2", "cgroup2", mount.toString());
        try (LinuxHostProcesses v2 = new LinuxHostProcesses(Optional.of(Cgroups.of(Cgroups.Version.V2, mount)))) {
            try {
                SpawnedProcess main = v2.spawn(request("sleep 1000 & exec sleep 1000"));
                CompletableFuture<ExitStatus> exit = watch(v2, main.pid());
                awaitTrue(() -> comm(main.pid()).equals("sleep") && children(main.pid()).size() == 1);
                long child = children(main.pid()).get(0);
                assertThat(Files.readString(Path.of("/proc", Long.toString(child), "cgroup")))
                        .contains("0::/spew/" + name + "\n");
                assertThat(v2.cgroupProcesses(name)).containsExactlyInAnyOrder(main.pid(), child);

                assertThat(v2.killAll(name)).isTrue();

                assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.signaled("SIGKILL"));
                awaitTrue(() -> !isAlive(child));
                assertThat(mount.resolve("spew").resolve(name)).doesNotExist();
            } finally {
                v2.killAll(name);
                Files.deleteIfExists(mount.resolve("spew"));
            }
        } finally {
            run("umount", mount.toString());
            Files.delete(mount);
        }
    }

    @Test
    void withoutCgroupsTheNameIsIgnored() throws Exception {
        try (LinuxHostProcesses none = new LinuxHostProcesses(Optional.empty())) {
            SpawnedProcess main = none.spawn(request("exit 3"));
            assertThat(watch(none, main.pid()).get(10, SECONDS)).isEqualTo(ExitStatus.exited(3));
            assertThat(none.tracksCgroups()).isFalse();
            assertThat(none.cgroupProcesses(name)).isEmpty();
            assertThat(none.killAll(name)).isTrue();
        }
    }

    private SpawnRequest request(String script) {
        return new SpawnRequest(List.of("/bin/sh", "-c", script), ENV, null, directory.resolve("out"),
                directory.resolve("out"), true, name);
    }

    private static CompletableFuture<ExitStatus> watch(LinuxHostProcesses processes, long pid) {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        processes.watch(pid, exit::complete);
        return exit;
    }

    private static List<Path> cgroupDirectories() {
        return List.of(Path.of("/sys/fs/cgroup/pids/spew"), Path.of("/sys/fs/cgroup/spew"),
                Path.of("/sys/fs/cgroup/unified/spew"));
    }

    static List<Long> children(long parent) {
        try (var entries = Files.list(Path.of("/proc"))) {
            return entries.map(path -> path.getFileName().toString()).filter(entry -> entry.matches("[0-9]+"))
                    .map(Long::parseLong)
                    .filter(pid -> parentOf(pid) == parent)
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long parentOf(long pid) {
        try {
            return ProcStat.field(pid, 4).orElse(-1);
        } catch (RuntimeException e) {
            return -1; // ended meanwhile
        }
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static long awaitPid(Path file) throws Exception {
        awaitTrue(() -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(file).trim());
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }
}
