package io.spew.impl.os;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helpers that hold FIFOs open: what was written outlives its writer until the FIFO is let go. */
class FifoKeepersTest {
    @TempDir
    Path directory;

    @Test
    void bytesWrittenToAHeldFifoOutliveTheirWriterUntilItIsLetGo() throws Exception {
        Path fifo = directory.resolve("out.pipe");
        assertThat(Fifos.create(fifo)).isTrue();
        assertThat(Fifos.create(fifo)).as("made once").isFalse();
        try (FifoKeepers keepers = new FifoKeepers(16)) {
            keepers.hold(List.of(fifo));
            awaitHeld(fifo, true);
            writeAndClose(fifo, "last words\n");
            assertThat(waiting(fifo)).isEqualTo("last words\n");

            writeAndClose(fifo, "dropped\n");
            keepers.release(fifo);
            awaitHeld(fifo, false);
            assertThat(waiting(fifo)).as("nobody held the pipe: its buffer went").isEmpty();
        }
    }

    private static void writeAndClose(Path fifo, String text) throws IOException {
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) { // O_RDWR: never blocks
            writer.write(text.getBytes(UTF_8));
        }
    }

    /** What waits in the FIFO, read without waiting for more. */
    private static String waiting(Path fifo) throws IOException {
        try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) {
            FileInputStream in = new FileInputStream(reader.getFD());
            byte[] bytes = new byte[in.available()];
            for (int read = 0; read < bytes.length; ) {
                read += in.read(bytes, read, bytes.length - read); // not readNBytes: it seeks
            }
            return new String(bytes, UTF_8);
        }
    }

    /** Waits until a child process of this one holds the FIFO open (or none does). */
    private static void awaitHeld(Path fifo, boolean held) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (heldByChild(fifo) != held) {
            assertThat(System.nanoTime()).as("a helper holds %s: %s", fifo, !held).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static boolean heldByChild(Path fifo) throws IOException {
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(child.pid()), "fd"))) {
                for (Path descriptor : descriptors.toList()) {
                    try {
                        if (Files.readSymbolicLink(descriptor).equals(fifo)) {
                            return true;
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return false;
    }
}
