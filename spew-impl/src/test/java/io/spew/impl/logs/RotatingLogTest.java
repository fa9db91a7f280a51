package io.spew.impl.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spew.instance.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation, the time index and the reader, on real files, with a clock the test moves. */
class RotatingLogTest {
    private static final Instant START = Instant.parse("2026-11-25T01:00:00Z");

    @TempDir
    Path directory;

    private final SteppedClock clock = new SteppedClock();

    @Test
    void everyLineIsKeptOnceInOrderAndNoneIsSplitAcrossFiles() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        byte[] text = numberedLines(1, 100_000);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(8192, 1000, 0), clock)) {
            appendInRandomChunks(log, text, new Random(42));
        }
        List<Path> generations = generations(files);
        assertThat(generations).hasSizeGreaterThan(60);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Path file : generations) {
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes[bytes.length - 1]).as("%s ends with a whole line", file).isEqualTo((byte) '\n');
            assertThat(bytes.length).as("%s stays near the size", file).isLessThanOrEqualTo(8192 + 7);
            joined.writeBytes(bytes);
        }
        assertThat(joined.toByteArray()).isEqualTo(text);
        assertThat(read(files, LogStart.ALL)).isEqualTo(new String(text, UTF_8));
    }

    @Test
    void onlyOldFilesBeyondTheCountAreDropped() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(1000, 3, 0), clock)) {
            appendInRandomChunks(log, numberedLines(1, 10_000), new Random(7));
        }
        assertThat(generations(files)).containsExactly(files.log(2), files.log(1), files.log(0));
        assertThat(Files.exists(files.log(3))).isFalse();
        String kept = read(files, LogStart.ALL);
        assertThat(kept).endsWith("\n10000\n");
        int first = Integer.parseInt(kept.substring(0, kept.indexOf('\n')));
        assertThat(kept).isEqualTo(new String(numberedLines(first, 10_000), UTF_8));
    }

    @Test
    void aLineLongerThanTwiceTheSizeIsCutThere() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        byte[] line = ("x".repeat(5000) + "\n").getBytes(UTF_8);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(1000, 10, 0), clock)) {
            log.append(ByteBuffer.wrap("short\n".getBytes(UTF_8)));
            log.append(ByteBuffer.wrap(line));
        }
        assertThat(read(files, LogStart.ALL)).isEqualTo("short\n" + new String(line, UTF_8));
        assertThat(Files.size(files.log(2))).isEqualTo(2000);
    }

    @Test
    void tailAndSinceReachBackAcrossFiles() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(1000, 100, 0), clock)) {
            for (int second = 0; second < 10; second++) {
                clock.at(START.plusSeconds(second).plusMillis(500));
                log.append(ByteBuffer.wrap(numberedLines(second * 1000 + 1, second * 1000 + 1000)));
            }
        }
        assertThat(generations(files).size()).isGreaterThan(40);

        assertThat(read(files, new LogStart(2500, null))).isEqualTo(new String(numberedLines(7501, 10_000), UTF_8));
        assertThat(read(files, new LogStart(0, null))).isEmpty();
        assertThat(read(files, new LogStart(20_000, null))).isEqualTo(new String(numberedLines(1, 10_000), UTF_8));

        // written at 01:00:07.5 and after: from 7001 on, whether asked for 07.0 or 07.9
        String fromSeven = new String(numberedLines(7001, 10_000), UTF_8);
        assertThat(read(files, new LogStart(-1, START.plusSeconds(7)))).isEqualTo(fromSeven);
        assertThat(read(files, new LogStart(-1, START.plusMillis(7900)))).isEqualTo(fromSeven);
        assertThat(read(files, new LogStart(-1, START.minusSeconds(60))))
                .isEqualTo(new String(numberedLines(1, 10_000), UTF_8));
        assertThat(read(files, new LogStart(-1, START.plusSeconds(60)))).isEmpty();
        // both: the later start wins
        assertThat(read(files, new LogStart(100, START.plusSeconds(7)))).isEqualTo(
                new String(numberedLines(9901, 10_000), UTF_8));
        assertThat(read(files, new LogStart(5000, START.plusSeconds(7)))).isEqualTo(fromSeven);
    }

    @Test
    void aReaderOpenedBeforeAnyOutputFollowsIntoTheFilesRotationStarts() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RotatingLog log = new RotatingLog(files, new LogSettings(500, 20, 0), clock);
                LogReader reader = LogReader.open(files.current(), LogStart.ALL)) {
            assertThat(files.current()).doesNotExist();
            for (int batch = 0; batch < 100; batch++) {
                log.append(ByteBuffer.wrap(numberedLines(batch * 50 + 1, batch * 50 + 50)));
                if (batch % 3 == 0) { // sometimes several rotations between two reads
                    reader.copyAvailable(out);
                }
            }
            reader.copyAvailable(out);
        }
        assertThat(out.toString(UTF_8)).isEqualTo(new String(numberedLines(1, 5000), UTF_8));
    }

    @Test
    void aGapLeftByAnEngineKilledWhileRotatingHidesNoOlderFile() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(1000, 100, 0), clock)) {
            appendInRandomChunks(log, numberedLines(1, 2000), new Random(3));
            Files.move(files.log(2), files.log(2).resolveSibling("aside")); // as if killed between two renames
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            List<Path> kept = new ArrayList<>();
            for (int generation = 20; generation >= 0; generation--) {
                if (Files.exists(files.log(generation))) {
                    kept.add(files.log(generation));
                    expected.writeBytes(Files.readAllBytes(files.log(generation)));
                }
            }
            assertThat(kept.get(0)).isNotEqualTo(files.log(1));
            assertThat(read(files, LogStart.ALL)).isEqualTo(expected.toString(UTF_8)).endsWith("\n2000\n");
            try (LogReader follower = LogReader.open(files.current(), new LogStart(-1, null))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                follower.copyAvailable(out);
                log.append(ByteBuffer.wrap(numberedLines(2001, 3000)));
                follower.copyAvailable(out);
                assertThat(out.toString(UTF_8)).isEqualTo(expected.toString(UTF_8)
                        + new String(numberedLines(2001, 3000), UTF_8));
            }
        }
    }

    @Test
    void aSnapshotReadEndsWhereTheFilesEndedWhenItWasOpenedEvenAcrossARotation() throws IOException {
        LogFiles files = LogFiles.of(directory, LogStream.STDOUT);
        try (RotatingLog log = new RotatingLog(files, new LogSettings(1000, 10, 0), clock)) {
            log.append(ByteBuffer.wrap(numberedLines(1, 500)));
            try (LogReader tail = LogReader.open(files.current(), new LogStart(3, null));
                    LogReader all = LogReader.open(files.current(), LogStart.ALL)) {
                log.append(ByteBuffer.wrap(numberedLines(501, 2000))); // written on, and rotated, meanwhile
                ByteArrayOutputStream lastThree = new ByteArrayOutputStream();
                tail.copyOpened(lastThree);
                assertThat(lastThree.toString(UTF_8)).isEqualTo("498\n499\n500\n");
                ByteArrayOutputStream everything = new ByteArrayOutputStream();
                all.copyOpened(everything);
                assertThat(everything.toString(UTF_8)).isEqualTo(new String(numberedLines(1, 500), UTF_8));
            }
        }
    }

    private static void appendInRandomChunks(RotatingLog log, byte[] text, Random random) {
        int at = 0;
        while (at < text.length) {
            int length = Math.min(text.length - at, 1 + random.nextInt(3000));
            log.append(ByteBuffer.wrap(text, at, length));
            at += length;
        }
    }

    /** The log files, oldest first. */
    private static List<Path> generations(LogFiles files) {
        List<Path> found = new ArrayList<>();
        for (int generation = 0; Files.exists(files.log(generation)); generation++) {
            found.add(0, files.log(generation));
        }
        return found;
    }

    private static String read(LogFiles files, LogStart start) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader reader = LogReader.open(files.current(), start)) {
            reader.copyAvailable(out);
        }
        return out.toString(UTF_8);
    }

    static byte[] numberedLines(int from, int to) {
        StringBuilder text = new StringBuilder();
        IntStream.rangeClosed(from, to).forEach(i -> text.append(i).append('\n'));
        return text.toString().getBytes(UTF_8);
    }

    /** A clock that stands still until the test moves it. */
    private static final class SteppedClock extends Clock {
        private Instant now = START;

        void at(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
