package io.spew.impl.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.impl.SpewEngine;
import io.spew.impl.json.Json;
import io.spew.instance.Instance;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state write that fails for lack of space fails the call with IO_ERROR saying so, keeps the old
 * state on disk and in memory, and leaves no temporary file. The data directory is on a tiny tmpfs
 * that the test mounts (root) and fills.
 */
class NoSpaceLeftIT {
    @TempDir
    Path work;

    private Path mount;
    private Spew spew;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        mount = Files.createDirectory(work.resolve("tiny"));
        run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (spew != null) {
                spew.close();
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void aWriteWithoutSpaceFailsAndKeepsTheOldState() throws Exception {
        Path data = mount.resolve("data");
        spew = SpewEngine.builder().dataDirectory(data).start();
        spew.appliances().apply("web.yaml", "name: web\nruntime: void\nenv: { VERSION: \"1\" }\n");
        Instance created = spew.instances().create(RunRequest.of("web"));
        Path filler = fill(mount.resolve("filler"));

        assertThatThrownBy(() -> spew.appliances().apply("web.yaml",
                "name: web\nruntime: void\nenv: { VERSION: \"2\", MORE: \"" + "x".repeat(8192) + "\" }\n"))
                .isInstanceOf(SpewException.class)
                .hasMessageContaining(data.resolve("appliances").resolve("web.json").toString())
                .hasMessageContaining("no space left")
                .extracting(e -> ((SpewException) e).code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(spew.appliances().get("web").env()).containsEntry("VERSION", "1");
        assertThat(Json.mapper().readTree(data.resolve("appliances").resolve("web.json").toFile())
                .get("env").get("VERSION").asText()).isEqualTo("1");

        assertThatThrownBy(() -> spew.instances().create(RunRequest.of("web").withName("web-big")))
                .isInstanceOf(SpewException.class).hasMessageContaining("no space left");
        assertThat(spew.instances().list()).extracting(Instance::id).containsExactly(created.id());
        assertNoTemporaryFiles(data);

        // With space again, a new engine shows the old state, and writes work.
        spew.close();
        spew = null;
        Files.delete(filler);
        spew = SpewEngine.builder().dataDirectory(data).start();
        assertThat(spew.appliances().get("web").env()).containsEntry("VERSION", "1");
        assertThat(spew.instances().list()).extracting(Instance::id).containsExactly(created.id());
        spew.appliances().apply("web.yaml", "name: web\nruntime: void\nenv: { VERSION: \"2\" }\n");
        assertThat(spew.appliances().get("web").env()).containsEntry("VERSION", "2");
    }

    /** Writes a file until the file system is full. */
    private static Path fill(Path file) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 10_000; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
            return file;
        }
        throw new AssertionError("the file system never filled up");
    }

    private static void assertNoTemporaryFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            assertThat(files.filter(AtomicFiles::isTemporary)).isEmpty();
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": "
                + new String(process.getInputStream().readAllBytes())).isZero();
    }
}
