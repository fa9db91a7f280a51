package io.spew.daemon.panel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PanelSessionsTest {
    private final MovableClock clock = new MovableClock();
    private final PanelSessions sessions = new PanelSessions(clock);

    @Test
    void aLoginCodeIsGoodOnce() {
        String code = sessions.newLoginCode();
        PanelSessions.Session session = sessions.login(code).orElseThrow();
        assertThat(session.id()).isNotEqualTo(session.csrfToken()).hasSize(43);
        assertThat(sessions.session(session.id())).contains(session);
        assertThat(sessions.login(code)).isEmpty();
        assertThat(sessions.login("made-up")).isEmpty();
        assertThat(sessions.login(null)).isEmpty();
    }

    @Test
    void codesAndSessionsExpire() {
        String code = sessions.newLoginCode();
        clock.now = clock.now.plus(PanelSessions.CODE_LIFETIME).plusSeconds(1);
        assertThat(sessions.login(code)).isEmpty();

        PanelSessions.Session session = sessions.login(sessions.newLoginCode()).orElseThrow();
        clock.now = clock.now.plus(PanelSessions.SESSION_LIFETIME).plus(Duration.ofSeconds(1));
        assertThat(sessions.session(session.id())).isEmpty();
    }

    @Test
    void logoutEndsTheSession() {
        PanelSessions.Session session = sessions.login(sessions.newLoginCode()).orElseThrow();
        sessions.logout(session.id());
        assertThat(sessions.session(session.id())).isEmpty();
        assertThat(sessions.session(null)).isEmpty();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
