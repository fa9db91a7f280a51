package io.spew.daemon.panel;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A one-time login URL of the panel, as {@code POST /api/v1/panel/logins} answers it.
 *
 * @param url the URL to open in a browser; good once
 * @param expiresAt when it stops working if unused
 */
public record PanelLogin(String url, Instant expiresAt) {
    public PanelLogin {
        requireNonNull(url, "url is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** A new login URL on {@code host} (the {@code Host} the request came to, already checked). */
    public static PanelLogin create(PanelSessions sessions, String host) {
        String code = sessions.newLoginCode();
        return new PanelLogin("http://" + host + PanelLayout.ROOT + "/login?code=" + code,
                Instant.now().plus(PanelSessions.CODE_LIFETIME));
    }
}
