package io.spew.daemon.api;

/** What the API needs from the daemon that serves it. */
public interface DaemonControl {
    /** The daemon's pid, address, data directory and counts. */
    DaemonInfo info();

    /**
     * Stops the daemon in the background, after stopping every active instance when asked. Returns
     * at once; calling it again is harmless.
     */
    void stop(boolean stopInstances);
}
