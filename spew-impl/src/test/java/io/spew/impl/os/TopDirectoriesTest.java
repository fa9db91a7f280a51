package io.spew.impl.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopDirectoriesTest {
    @TempDir
    Path directory;

    /**
     * ext2, ext3 and ext4 keep the flag ({@code lsattr} shows T); other file systems may refuse it
     * (tmpfs) or pass it on (overlayfs over ext4).
     */
    @Test
    void anExtDirectoryIsMarkedOnceAndStaysMarked() throws Exception {
        boolean marked = TopDirectories.mark(directory);
        assertThat(TopDirectories.mark(directory)).isEqualTo(marked);
        if (fileSystemType(directory).equals("ext2/ext3")) {
            assertThat(marked).isTrue();
        }
        if (marked) {
            assertThat(run("lsattr", "-d", directory.toString()).split(" ")[0]).contains("T");
        }
    }

    @Test
    void aMissingDirectoryOrAFileIsNotMarkedAndNothingThrows() throws Exception {
        assertThat(TopDirectories.mark(directory.resolve("missing"))).isFalse();
        Path file = Files.writeString(directory.resolve("file"), "x");
        assertThat(TopDirectories.mark(file)).isFalse();
    }

    private static String fileSystemType(Path path) throws IOException, InterruptedException {
        return run("stat", "-f", "-c", "%T", path.toString()).trim();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
