package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

/**
 * What {@code GET /api/v1/daemon} answers.
 *
 * @param pid the daemon's process id
 * @param listen the address it listens on, {@code host:port}
 * @param dataDir the absolute data directory it serves
 * @param version the Spew version it runs
 * @param instances how many instances it knows, in any state
 * @param active how many of them may have a live process
 */
public record DaemonInfo(long pid, String listen, String dataDir, String version, int instances, int active) {
    public DaemonInfo {
        requireNonNull(listen, "listen is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(version, "version is null");
    }
}
