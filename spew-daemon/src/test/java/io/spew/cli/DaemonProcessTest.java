package io.spew.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every end-to-end test of the command line has: a data directory of its own, the {@code spew}
 * command as separate processes, and the daemon it started stopped (and its instances ended) afterwards.
 */
abstract class DaemonProcessTest {
    @TempDir
    Path temporary;

    Path data;
    SpewProcesses spew;

    @BeforeEach
    void startProcesses() throws IOException {
        data = Files.createDirectory(temporary.resolve("data"));
        spew = new SpewProcesses(data, Files.createDirectory(temporary.resolve("scratch")));
    }

    @AfterEach
    void stopProcesses() {
        spew.close();
    }
}
