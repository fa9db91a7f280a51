package io.spew.impl.os;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxHostProcessesTest {
    private static final SortedMap<String, String> ENV =
            new TreeMap<>(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8"));

    @TempDir
    Path directory;

    private final LinuxHostProcesses processes = new LinuxHostProcesses();
    private final List<SpawnedProcess> started = new ArrayList<>();

    @AfterEach
    void killAndReapLeftovers() throws Exception {
        List<CompletableFuture<ExitStatus>> exits = new ArrayList<>();
        for (SpawnedProcess process : started) {
            // The start time tells the process from a later one that got its pid.
            if (processes.startTime(process.pid()).equals(OptionalLong.of(process.startTime()))) {
                exits.add(watch(process.pid()));
                processes.signal(process.pid(), Signal.SIGKILL);
            }
        }
        CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(10, SECONDS);
        processes.close();
    }

    @Test
    void outputAndErrorAreAppendedToTheirFilesAndInputIsDevNull() throws Exception {
        Files.writeString(directory.resolve("out"), "before\n");

        ExitStatus status = run(request("sh", "-c", "readlink /proc/$$/fd/0; echo err >&2"));

        assertThat(status).isEqualTo(ExitStatus.exited(0));
        assertThat(Files.readString(directory.resolve("out"))).isEqualTo("before\n/dev/null\n");
        assertThat(Files.readString(directory.resolve("err"))).isEqualTo("err\n");
    }

    @Test
    void errorGoesToTheOutputFileWhenBothAreTheSame() throws Exception {
        Path log = directory.resolve("log");
        SpawnRequest request = new SpawnRequest(List.of("sh", "-c", "echo out; echo err >&2; echo out2"),
                ENV, null, log, log, false);

        run(request);

        assertThat(Files.readString(log)).isEqualTo("out\nerr\nout2\n");
    }

    @Test
    void exitCodeIsReported() throws Exception {
        assertThat(run(request("sh", "-c", "exit 3"))).isEqualTo(ExitStatus.exited(3));
    }

    @Test
    void processKilledBySignalReportsTheSignal() throws Exception {
        SpawnedProcess process = spawn(request("sleep", "30"));
        CompletableFuture<ExitStatus> exit = watch(process.pid());

        assertThat(processes.signal(process.pid(), Signal.SIGTERM)).isTrue();

        assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.signaled("SIGTERM"));
    }

    @Test
    void newSessionMakesTheProcessLeadItsSession() throws Exception {
        SpawnedProcess leader = spawn(withNewSession(request("sleep", "30")));
        SpawnedProcess member = spawn(request("sleep", "30"));

        assertThat(sessionOf(leader.pid())).isEqualTo(leader.pid());
        assertThat(sessionOf(member.pid())).isNotEqualTo(member.pid());
    }

    @Test
    void signalGroupReachesTheSessionLeadersGroup() throws Exception {
        SpawnedProcess leader = spawn(withNewSession(request("sleep", "30")));
        CompletableFuture<ExitStatus> exit = watch(leader.pid());

        assertThat(processes.signalGroup(leader.pid(), Signal.SIGINT)).isTrue();

        assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.signaled("SIGINT"));
        assertThat(processes.signalGroup(leader.pid(), Signal.SIGINT)).isFalse();
    }

    @Test
    void environmentIsExactlyTheOneGiven() throws Exception {
        SortedMap<String, String> env = new TreeMap<>(ENV);
        env.put("GREETING", "hello world = yes");
        SpawnRequest request = new SpawnRequest(List.of("env"), env, null,
                directory.resolve("out"), directory.resolve("err"), false);

        run(request);

        assertThat(Files.readAllLines(directory.resolve("out")))
                .containsExactlyInAnyOrder("GREETING=hello world = yes", "LANG=C.UTF-8", "PATH=/usr/bin:/bin");
    }

    @Test
    void workingDirectoryIsHonoured() throws Exception {
        Path workdir = Files.createDirectories(directory.resolve("work dir"));
        SpawnRequest request = new SpawnRequest(List.of("pwd"), ENV, workdir,
                directory.resolve("out"), directory.resolve("err"), false);

        run(request);

        assertThat(Files.readString(directory.resolve("out"))).isEqualTo(workdir.toRealPath() + "\n");
    }

    @Test
    void noDescriptorOfTheJvmLeaksIntoTheChild() throws Exception {
        Path secret = Files.writeString(directory.resolve("secret"), "secret");
        try (FileInputStream file = new FileInputStream(secret.toFile()); ServerSocket socket = new ServerSocket(0)) {
            assertThat(file.getFD().valid()).isTrue();
            assertThat(socket.isBound()).isTrue();
            run(request("sh", "-c", "ls -l /proc/$$/fd"));
        }

        // The shell may exec ls as its last command, so the listing may show the one descriptor ls
        // opens to read the directory, and nothing else besides 0, 1 and 2.
        Map<Integer, String> descriptors = new TreeMap<>();
        for (String line : Files.readAllLines(directory.resolve("out"))) {
            int arrow = line.indexOf(" -> ");
            if (arrow > 0) {
                String[] before = line.substring(0, arrow).split(" ");
                descriptors.put(Integer.parseInt(before[before.length - 1]), line.substring(arrow + 4));
            }
        }
        assertThat(descriptors).containsEntry(0, "/dev/null")
                .containsEntry(1, directory.resolve("out").toString())
                .containsEntry(2, directory.resolve("err").toString());
        descriptors.keySet().removeAll(List.of(0, 1, 2));
        assertThat(descriptors.values()).allSatisfy(target -> assertThat(target).matches("/proc/\\d+/fd"));
        assertThat(descriptors).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void signalMaskOfTheSpawningThreadIsNotInherited() throws Exception {
        SignalControl signals = signalControl();
        Pointer blocked = signalSet(signals, Signal.SIGTERM, Signal.SIGUSR1);
        Pointer previous = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(signals), SignalControl.SET_SIZE, true);
        assertThat(signals.pthread_sigmask(SignalControl.SIG_BLOCK, blocked, previous)).isZero();
        try {
            // The shell unblocks signals itself when it waits, so ask the kernel what grep got.
            run(request("grep", "^SigBlk:", "/proc/self/status"));
        } finally {
            signals.pthread_sigmask(SignalControl.SIG_SETMASK, previous, null);
        }

        assertThat(Files.readString(directory.resolve("out"))).isEqualTo("SigBlk:\t0000000000000000\n");
    }

    @Test
    void ignoredSignalsAreBackToTheirDefault() throws Exception {
        SignalControl signals = signalControl();
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(signals);
        Pointer ignore = Memory.allocateDirect(runtime, SignalControl.ACTION_SIZE, true);
        ignore.putAddress(0, SignalControl.SIG_IGN);
        Pointer previous = Memory.allocateDirect(runtime, SignalControl.ACTION_SIZE, true);
        SpawnedProcess process;
        int hangup = Signal.SIGHUP.number();
        assertThat(signals.sigaction(hangup, ignore, previous)).isZero();
        try {
            // A shell keeps ignoring what it was started ignoring: only a reset lets the signal kill it.
            process = spawn(request("sh", "-c", "grep ^SigIgn: /proc/$$/status; kill -HUP $$; sleep 5"));
        } finally {
            signals.sigaction(hangup, previous, null);
        }

        assertThat(watch(process.pid()).get(3, SECONDS)).isEqualTo(ExitStatus.signaled("SIGHUP"));
        assertThat(Files.readString(directory.resolve("out"))).isEqualTo("SigIgn:\t0000000000000000\n");
    }

    @Test
    void processThatIsNotAChildIsReportedUnknownWhenItEnds() throws Exception {
        Path pidFile = directory.resolve("pid");
        run(request("sh", "-c", "sleep 2 & echo $! > '" + pidFile + "'"));
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        Thread[] caller = new Thread[1];

        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        processes.watch(grandchild, status -> {
            caller[0] = Thread.currentThread();
            exit.complete(status);
        });

        assertThat(exit).isNotDone();
        assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.unknown());
        assertThat(caller[0].getName()).isEqualTo("spew-process-watcher");
        assertThat(processes.startTime(grandchild)).satisfiesAnyOf(
                startTime -> assertThat(startTime).isEmpty(),
                startTime -> assertThat(Files.readString(Path.of("/proc/" + grandchild + "/stat"))).contains(") Z "));
    }

    @Test
    void processAlreadyGoneIsReportedUnknownAtOnce() throws Exception {
        SpawnedProcess process = spawn(request("true"));
        assertThat(watch(process.pid()).get(10, SECONDS)).isEqualTo(ExitStatus.exited(0));

        assertThat(watch(process.pid()).get(1, SECONDS)).isEqualTo(ExitStatus.unknown());
    }

    @Test
    void closedRegistrationIsNotCalled() throws Exception {
        SpawnedProcess process = spawn(request("sleep", "30"));
        CompletableFuture<ExitStatus> cancelled = new CompletableFuture<>();
        processes.watch(process.pid(), cancelled::complete).close();
        CompletableFuture<ExitStatus> exit = watch(process.pid());

        processes.signal(process.pid(), Signal.SIGKILL);

        assertThat(exit.get(10, SECONDS)).isEqualTo(ExitStatus.signaled("SIGKILL"));
        Thread.sleep(200);
        assertThat(cancelled).isNotDone();
    }

    @Test
    void missingCommandFailsToStartNamingIt() {
        assertThatThrownBy(() -> processes.spawn(request("nosuch-spew-command")))
                .isInstanceOf(SpewException.class).hasFieldOrPropertyWithValue("code", ErrorCode.START_FAILED)
                .hasMessage("command 'nosuch-spew-command' not found in PATH /usr/bin:/bin");
    }

    @Test
    void missingWorkingDirectoryFailsToStartNamingIt() {
        Path missing = directory.resolve("missing");
        SpawnRequest request = new SpawnRequest(List.of("pwd"), ENV, missing,
                directory.resolve("out"), directory.resolve("err"), false);

        assertThatThrownBy(() -> processes.spawn(request))
                .isInstanceOf(SpewException.class).hasFieldOrPropertyWithValue("code", ErrorCode.START_FAILED)
                .hasMessageContaining("working directory " + missing + " does not exist");
    }

    @Test
    void programThatCannotBeExecutedFailsToStartWithTheReason() throws Exception {
        Path notExecutable = Files.writeString(directory.resolve("script"), "#!/bin/sh\n");

        assertThatThrownBy(() -> processes.spawn(request(notExecutable.toString())))
                .isInstanceOf(SpewException.class).hasFieldOrPropertyWithValue("code", ErrorCode.START_FAILED)
                .hasMessage("cannot start '" + notExecutable + "': Permission denied");
    }

    @Test
    void manyProcessesAreWatchedByOneThread() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();
        List<CompletableFuture<ExitStatus>> exits = new ArrayList<>();
        try (LinuxHostProcesses own = new LinuxHostProcesses()) {
            for (int i = 0; i < 500; i++) {
                SpawnedProcess process = own.spawn(request("true"));
                CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
                own.watch(process.pid(), exit::complete);
                exits.add(exit);
            }
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(60, SECONDS);
        }

        assertThat(exits).allSatisfy(exit -> assertThat(exit.get()).isEqualTo(ExitStatus.exited(0)));
        assertThat(threads.getPeakThreadCount()).isLessThanOrEqualTo(before + 1);
    }

    @Test
    void signalToAGoneProcessReturnsFalse() throws Exception {
        SpawnedProcess process = spawn(request("true"));
        watch(process.pid()).get(10, SECONDS);

        assertThat(processes.signal(process.pid(), Signal.SIGTERM)).isFalse();
    }

    @Test
    void startTimeIsStableAndEmptyOnceTheProcessIsGone() throws Exception {
        SpawnedProcess process = spawn(request("sleep", "30"));
        CompletableFuture<ExitStatus> exit = watch(process.pid());

        assertThat(processes.startTime(process.pid())).hasValue(process.startTime());
        Thread.sleep(20);
        assertThat(processes.startTime(process.pid())).hasValue(process.startTime());
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fieldsAfterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(fieldsAfterName[22 - 3]).isEqualTo(Long.toString(process.startTime()));

        processes.signal(process.pid(), Signal.SIGKILL);
        exit.get(10, SECONDS);
        assertThat(processes.startTime(process.pid())).isEmpty();
    }

    @Test
    void bootIdIsTheKernels() throws Exception {
        assertThat(processes.bootId())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim())
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void closeStopsTheWatcherThreadAndIsIdempotent() {
        long before = watcherThreads();

        processes.close();
        processes.close();

        assertThat(watcherThreads()).isEqualTo(before - 1);
        assertThatThrownBy(() -> processes.watch(ProcessHandle.current().pid(), status -> {}))
                .isInstanceOf(SpewException.class).hasFieldOrPropertyWithValue("code", ErrorCode.INVALID_STATE);
    }

    @Test
    void measureSpawnTime() throws Exception {
        SpawnRequest request = request("/bin/true");
        for (int i = 0; i < 20; i++) {
            run(request);
        }
        int runs = 200;
        long nanos = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            SpawnedProcess process = processes.spawn(request);
            nanos += System.nanoTime() - start;
            // One at a time, so a spawn does not share the CPUs with the previous child.
            assertThat(watch(process.pid()).get(10, SECONDS)).isEqualTo(ExitStatus.exited(0));
        }
        System.out.println("LinuxHostProcesses.spawn of /bin/true: "
                + TimeUnit.NANOSECONDS.toMicros(nanos / runs) + " µs mean over " + runs + " runs");
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("spew-process-watcher") && thread.isAlive())
                .count();
    }

    private SpawnRequest request(String... command) {
        return new SpawnRequest(List.of(command), ENV, null, directory.resolve("out"), directory.resolve("err"), false);
    }

    private static SpawnRequest withNewSession(SpawnRequest request) {
        return new SpawnRequest(request.command(), request.env(), request.workdir(),
                request.stdout(), request.stderr(), true);
    }

    private SpawnedProcess spawn(SpawnRequest request) {
        SpawnedProcess process = processes.spawn(request);
        started.add(process);
        return process;
    }

    private CompletableFuture<ExitStatus> watch(long pid) {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        processes.watch(pid, exit::complete);
        return exit;
    }

    private ExitStatus run(SpawnRequest request) throws Exception {
        return watch(spawn(request).pid()).get(10, SECONDS);
    }

    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), UTF_8);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[6 - 3]);
    }

    private static SignalControl signalControl() {
        return LibraryLoader.create(SignalControl.class).load("c");
    }

    private static Pointer signalSet(SignalControl signals, Signal... members) {
        Pointer set = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(signals), SignalControl.SET_SIZE, true);
        signals.sigemptyset(set);
        for (Signal signal : members) {
            signals.sigaddset(set, signal.number());
        }
        return set;
    }

    /** The libc calls a test needs to change the signal state of the JVM. */
    public interface SignalControl {
        int SET_SIZE = 128;
        int ACTION_SIZE = 152;
        long SIG_IGN = 1;
        int SIG_BLOCK = 0;
        int SIG_SETMASK = 2;

        int pthread_sigmask(int how, Pointer set, Pointer previous);

        int sigaction(int signal, Pointer action, Pointer previous);

        int sigemptyset(Pointer set);

        int sigaddset(Pointer set, int signal);
    }
}
