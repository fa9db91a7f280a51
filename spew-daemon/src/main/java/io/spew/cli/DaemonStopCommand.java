package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.RunningDaemon;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew daemon stop}: asks the daemon to exit and waits until its process is gone. */
@Command(name = "stop",
        description = "Stops the daemon; instances keep running unless --stop-instances.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew daemon stop",
            "  spew daemon stop --stop-instances",
        })
final class DaemonStopCommand extends ClientCommand {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration WAIT_WITH_INSTANCES = Duration.ofSeconds(120);

    @Option(names = "--stop-instances", description = "Stop every running instance first.")
    boolean stopInstances;

    @Override
    public Integer call() {
        Optional<RunningDaemon> running = root().connector().find();
        if (running.isEmpty()) {
            out().println("the daemon is not running (data dir " + root().dataDirectory() + ")");
            return 0;
        }
        long pid = running.get().info().pid();
        try {
            running.get().client().stopDaemon(stopInstances);
        } catch (SpewException e) {
            if (e.code() != ErrorCode.DAEMON_UNAVAILABLE) {
                throw e;
            }
            // it may have exited before its answer reached us: the wait below tells
        }
        Duration wait = stopInstances ? WAIT_WITH_INSTANCES : WAIT;
        if (!waitUntilGone(pid, wait)) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon (pid " + pid + ") did not exit within "
                    + wait.toSeconds() + " s: see " + root().connector().directory().logFile());
        }
        out().println("stopped the daemon (pid " + pid + ")" + (stopInstances ? " and its instances" : ""));
        return 0;
    }

    private static boolean waitUntilGone(long pid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
