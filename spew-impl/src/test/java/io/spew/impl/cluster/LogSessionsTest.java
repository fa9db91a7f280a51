package io.spew.impl.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.impl.logs.LogStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSessionsTest {
    @TempDir
    Path directory;

    private Path append(String text) throws IOException {
        Path file = directory.resolve("stdout.log");
        Files.writeString(file, text, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    @Test
    void eachPollOfASessionBringsWhatWasWrittenSinceTheLast() throws IOException {
        Path file = append("one\ntwo\nthree\n");
        try (LogSessions sessions = new LogSessions()) {
            assertThat(sessions.next("a", file, new LogStart(2, null), 1024)).isEqualTo("two\nthree\n");
            assertThat(sessions.next("a", file, new LogStart(2, null), 1024)).isEmpty();
            append("four\n");
            assertThat(sessions.next("a", file, new LogStart(2, null), 1024)).isEqualTo("four\n");
            assertThat(sessions.next("b", file, LogStart.ALL, 1024)).isEqualTo("one\ntwo\nthree\nfour\n");
            assertThat(sessions.size()).isEqualTo(2);
        }
    }

    @Test
    void aPollBringsAtMostTheLastBytesAsked() throws IOException {
        Path file = append("0123456789\nabcdef\n");
        try (LogSessions sessions = new LogSessions()) {
            assertThat(sessions.next("a", file, LogStart.ALL, 7)).isEqualTo("abcdef\n");
        }
    }

    @Test
    void anEndedOrIdleSessionIsClosedAndStartsAgainFromItsStart() throws IOException {
        Path file = append("one\n");
        try (LogSessions sessions = new LogSessions(Duration.ZERO)) {
            sessions.next("a", file, LogStart.ALL, 1024);
            sessions.next("b", file, LogStart.ALL, 1024); // a was idle: closed

            assertThat(sessions.size()).isEqualTo(1);
            sessions.end("b");
            assertThat(sessions.size()).isZero();
            assertThat(sessions.next("b", file, LogStart.ALL, 1024)).isEqualTo("one\n");
        }
    }
}
