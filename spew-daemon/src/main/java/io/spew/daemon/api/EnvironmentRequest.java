package io.spew.daemon.api;

import static java.util.Objects.requireNonNull;

import io.spew.environment.EnvironmentFiles;
import java.time.Duration;

/**
 * The body of {@code POST /api/v1/environments/plan|start|stop}.
 *
 * @param files the environment file and those it includes, as the command line read them
 * @param environment the environment, or null for the file's own counts
 * @param timeout how long an appliance waits for those it requires (start), or null for the default
 * @param waitHealthy whether start returns only once every instance is healthy
 * @param remove whether stop removes the instances too
 * @param user who asks, as {@code spew history} shows it; null for the daemon's user
 */
public record EnvironmentRequest(EnvironmentFiles files, String environment, Duration timeout, boolean waitHealthy,
        boolean remove, String user) {
    public EnvironmentRequest {
        requireNonNull(files, "files is null");
    }

    /** A request of the daemon's user. */
    public EnvironmentRequest(EnvironmentFiles files, String environment, Duration timeout, boolean waitHealthy,
            boolean remove) {
        this(files, environment, timeout, waitHealthy, remove, System.getProperty("user.name"));
    }
}
