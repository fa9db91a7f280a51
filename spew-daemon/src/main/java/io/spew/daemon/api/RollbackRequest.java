package io.spew.daemon.api;

/**
 * The body of {@code POST /api/v1/appliances/NAME/rollback}, {@code promote} and {@code restart}.
 *
 * @param version the version to roll back to, or null for the one before the last
 * @param user who asks, as {@code spew history} shows it; null for the daemon's user
 */
public record RollbackRequest(Integer version, String user) {}
