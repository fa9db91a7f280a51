package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.impl.logs.LogReader;
import io.spew.impl.logs.LogStart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers of this host's instance logs that other hosts follow ({@code spew logs -f} asked on another
 * host), by the session id the follower chose: each poll reads on from where the last one ended, across
 * rotations, as a local follower does. A session that no poll used for {@link #IDLE} is closed (its
 * follower went away without a word).
 */
final class LogSessions implements AutoCloseable {
    static final Duration IDLE = Duration.ofSeconds(60);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;

    private static final class Session {
        final LogReader reader;
        volatile long usedAt = System.nanoTime();

        Session(LogReader reader) {
            this.reader = reader;
        }
    }

    LogSessions() {
        this(IDLE);
    }

    LogSessions(Duration idle) {
        this.idle = requireNonNull(idle, "idle is null");
    }

    /**
     * What the stream {@code file} holds beyond the session's last read (from {@code start} on the first),
     * at most the last {@code maxBytes} of it.
     */
    String next(String session, Path file, LogStart start, int maxBytes) throws IOException {
        requireNonNull(session, "session is null");
        closeIdle();
        Session open = sessions.get(session);
        if (open == null) {
            open = new Session(LogReader.open(file, start));
            Session raced = sessions.putIfAbsent(session, open);
            if (raced != null) {
                open.reader.close();
                open = raced;
            }
        }
        open.usedAt = System.nanoTime();
        synchronized (open) {
            return read(open.reader, maxBytes);
        }
    }

    /** Everything {@code reader} has now, at most the last {@code maxBytes} of it. */
    static String read(LogReader reader, int maxBytes) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (reader.copyAvailable(text) && text.size() < 2 * maxBytes) {
            // on to the end of what is written now
        }
        byte[] bytes = text.toByteArray();
        int from = Math.max(0, bytes.length - maxBytes);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    /** Ends a session: its follower is done. */
    void end(String session) {
        Session ended = sessions.remove(session);
        if (ended != null) {
            closeQuietly(ended);
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session session = it.next();
            if (now - session.usedAt > idle.toNanos()) {
                it.remove();
                closeQuietly(session);
            }
        }
    }

    private static void closeQuietly(Session session) {
        synchronized (session) {
            try {
                session.reader.close();
            } catch (IOException e) {
                // nothing more is read from it
            }
        }
    }

    int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        sessions.keySet().forEach(this::end);
    }
}
