package io.spew.daemon.client;

import static java.util.Objects.requireNonNull;

import io.spew.daemon.api.DaemonInfo;

/**
 * A daemon that answered for the data directory asked about.
 *
 * @param client the client that reached it
 * @param info what it answered
 */
public record RunningDaemon(DaemonClient client, DaemonInfo info) {
    public RunningDaemon {
        requireNonNull(client, "client is null");
        requireNonNull(info, "info is null");
    }
}
