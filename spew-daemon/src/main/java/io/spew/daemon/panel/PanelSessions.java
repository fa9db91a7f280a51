package io.spew.daemon.panel;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The panel's login codes and sessions, in memory only (a restarted daemon logs everyone out). A
 * login code is good once, for {@link #CODE_LIFETIME}; it becomes a session with its own CSRF
 * token, good for {@link #SESSION_LIFETIME}.
 */
public final class PanelSessions {
    /** How long a printed login URL can be used. */
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** How long a session lasts after login. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final int MAX_CODES = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Instant> codes = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** A logged-in browser. */
    record Session(String id, String csrfToken, Instant expiresAt) {
        Session {
            requireNonNull(id, "id is null");
            requireNonNull(csrfToken, "csrfToken is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    public PanelSessions(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A new one-time login code. */
    public String newLoginCode() {
        Instant now = clock.instant();
        codes.values().removeIf(expiry -> expiry.isBefore(now));
        if (codes.size() >= MAX_CODES) {
            Iterator<String> oldest = codes.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        String code = randomToken();
        codes.put(code, now.plus(CODE_LIFETIME));
        return code;
    }

    /** Spends {@code code} for a new session; empty when it is unknown, used or expired. */
    Optional<Session> login(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Instant expiry = codes.remove(code);
        Instant now = clock.instant();
        if (expiry == null || expiry.isBefore(now)) {
            return Optional.empty();
        }
        sessions.values().removeIf(session -> session.expiresAt().isBefore(now));
        Session session = new Session(randomToken(), randomToken(), now.plus(SESSION_LIFETIME));
        sessions.put(session.id(), session);
        return Optional.of(session);
    }

    /** The live session of {@code id}, if any. */
    Optional<Session> session(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null || session.expiresAt().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void logout(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
