package io.spew.daemon.api;

/**
 * The body of {@code POST /api/v1/daemon/stop}.
 *
 * @param stopInstances whether to stop every active instance before the daemon exits
 */
public record StopDaemonRequest(boolean stopInstances) {}
