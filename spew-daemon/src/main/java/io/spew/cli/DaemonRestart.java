package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.DaemonConnector;
import io.spew.daemon.client.RunningDaemon;
import java.time.Duration;
import java.util.Optional;

/**
 * Restarts the daemon of a data directory on the same API address, so that it reads {@code cluster/} again;
 * its instances keep running and the new daemon adopts them. Starts one when none runs.
 */
final class DaemonRestart {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private DaemonRestart() {}

    static RunningDaemon restart(DaemonConnector connector) {
        Optional<RunningDaemon> running = connector.find();
        String listen = null;
        if (running.isPresent()) {
            long pid = running.get().info().pid();
            listen = running.get().info().listen();
            try {
                running.get().client().stopDaemon(false);
            } catch (SpewException e) {
                if (e.code() != ErrorCode.DAEMON_UNAVAILABLE) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                if (System.nanoTime() > deadline) {
                    throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon (pid " + pid
                            + ") did not exit within " + STOP_WAIT.toSeconds() + " s to restart: see "
                            + connector.directory().logFile());
                }
                pause(50);
            }
        }
        return connector.start(listen);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "interrupted while waiting for the daemon");
        }
    }
}
