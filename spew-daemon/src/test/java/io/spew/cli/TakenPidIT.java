package io.spew.cli;

import static io.spew.cli.SpewProcesses.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/**
 * A pid that another process took while no daemon watched is never mistaken for the instance. It sets the
 * host's pid counter, so it runs alone (the serial failsafe execution of the pom).
 */
class TakenPidIT extends DaemonProcessTest {
    /** What this test needs of the C library: to reap the orphans it adopts, as an init does. */
    public interface Reaping {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int waitpid(int pid, Pointer status, int options);
    }

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;

    @Test
    void aPidTakenByAnotherProcessWhileNoDaemonRanIsNotAdopted() throws Exception {
        // The pid of a dead orphan is free again only once something reaps it; pid 1 of some
        // containers never does, so this JVM adopts the orphans of its daemons and reaps them itself.
        Reaping libc = LibraryLoader.create(Reaping.class).load("c");
        assertThat(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)).isZero();
        try {
            takenPid(libc);
        } finally {
            libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
        }
    }

    private void takenPid(Reaping libc) throws Exception {
        spew.ok("appliance", "apply", Files.writeString(temporary.resolve("sleeper.yaml"),
                "name: sleeper\nruntime: shell\ncommand: [/bin/sleep, '1000']\n", UTF_8).toString());
        spew.ok("run", "sleeper");
        long pid = spew.instance("sleeper-1").get("pid").asLong();
        long daemon = spew.daemonPid();
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(eventually(Duration.ofSeconds(10), () -> !ProcessTable.isAlive(daemon))).isTrue();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(eventually(Duration.ofSeconds(10), () -> libc.waitpid((int) pid, null, WNOHANG) == pid))
                .as("the instance, an orphan of this JVM now, is reaped").isTrue();
        libc.waitpid((int) daemon, null, WNOHANG);

        Process impostor = processWithPid(pid);
        try {
            spew.ok("daemon", "start");
            JsonNode instance = spew.instance("sleeper-1");
            assertThat(instance.get("state").asText()).as("%s", instance).isEqualTo("crashed");
            assertThat(instance.get("pid").isNull()).isTrue();
            assertThat(instance.get("message").asText()).contains("ended while no engine was watching");
            assertThat(impostor.isAlive()).as("the process that took the pid is left alone").isTrue();
            // this daemon is a child of this JVM now: stop it here and reap it
            long second = spew.daemonPid();
            spew.api("POST", "/daemon/stop", "{\"stopInstances\":true}");
            assertThat(eventually(Duration.ofSeconds(30), () -> libc.waitpid((int) second, null, WNOHANG) == second))
                    .as("the second daemon ended").isTrue();
        } finally {
            impostor.destroyForcibly().waitFor();
        }
    }

    /** Starts {@code sleep} as pid {@code pid}, by setting the last pid the kernel gave out (root only). */
    private static Process processWithPid(long pid) throws IOException, InterruptedException {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.writeString(lastPid, Long.toString(pid - 1));
            Process process = new ProcessBuilder("/bin/sleep", "1000").start();
            if (process.pid() == pid) {
                return process;
            }
            process.destroyForcibly().waitFor();
        }
        throw new AssertionError("could not start a process with pid " + pid + ": other processes took it first");
    }
}
