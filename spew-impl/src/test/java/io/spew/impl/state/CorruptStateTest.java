package io.spew.impl.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupt state file is set aside under a timestamped name with an ERROR naming it and what to
 * do; it is never silently dropped or replaced by empty state, and the engine still starts.
 */
class CorruptStateTest {
    private static final String APPLIANCE = "name: web\nruntime: void\nenv: { COLOR: blue }\n";

    @TempDir
    Path data;

    private final List<String> errors = new ArrayList<>();
    private final Logger logger = Logger.getLogger(CorruptFiles.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (errors) {
                    errors.add(MessageFormat.format(record.getMessage(), record.getParameters()));
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Spew spew;

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void close() {
        logger.removeHandler(handler);
        if (spew != null) {
            spew.close();
        }
    }

    @Test
    void anInstanceWhoseStateIsTruncatedStaysListedAsFailed() throws IOException {
        spew = engine();
        spew.appliances().apply("web.yaml", APPLIANCE);
        Instance created = spew.instances().create(RunRequest.of("web"));
        spew.instances().create(RunRequest.of("web"));
        spew.close();
        Path file = data.resolve("instances").resolve(created.id().value()).resolve("instance.json");
        byte[] content = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(content, content.length / 2));

        spew = engine();
        Instance failed = spew.instances().get(created.id().value());
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.name()).isEqualTo("web-1");
        Path aside = onlySetAside(file.getParent());
        assertThat(aside.getFileName().toString()).matches("instance\\.json\\.corrupt-\\d{8}T\\d{6}\\.\\d{3}Z");
        assertThat(Files.readAllBytes(aside)).hasSize(content.length / 2);
        assertThat(failed.message()).contains("corrupt", aside.toString(), "spew rm " + created.id());
        assertThat(spew.instances().list()).extracting(Instance::name).containsExactly("web-1", "web-2");
        assertLoggedError(file, aside);

        // It stays listed after another restart, and can be removed.
        spew.close();
        spew = engine();
        assertThat(spew.instances().get("web-1").state()).isEqualTo(InstanceState.FAILED);
        assertThat(spew.instances().get("web-1").message()).contains(aside.toString());
        spew.instances().remove("web-1");
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void anInstanceWhoseStateIsGarbageIsNamedByItsId() throws IOException {
        spew = engine();
        spew.appliances().apply("web.yaml", APPLIANCE);
        Instance created = spew.instances().create(RunRequest.of("web"));
        spew.close();
        Path file = data.resolve("instances").resolve(created.id().value()).resolve("instance.json");
        Files.write(file, new byte[] {0, 0, 0, 0});

        spew = engine();
        Instance failed = spew.instances().get("unreadable-" + created.id().value());
        assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.id()).isEqualTo(created.id());
        assertLoggedError(file, onlySetAside(file.getParent()));
    }

    @Test
    void aCorruptApplianceIsSetAsideAndTheOthersLoad() throws IOException {
        spew = engine();
        spew.appliances().apply("web.yaml", APPLIANCE);
        spew.appliances().apply("db.yaml", "name: db\nruntime: void\n");
        spew.close();
        Path file = data.resolve("appliances").resolve("web.json");
        Files.writeString(file, "{\"name\": \"web\", \"runt");

        spew = engine();
        assertThat(spew.appliances().list()).extracting(a -> a.name()).containsExactly("db");
        Path aside = onlySetAside(file.getParent());
        assertThat(aside.getFileName().toString()).startsWith("web.json.corrupt-");
        assertThat(Files.readString(aside)).isEqualTo("{\"name\": \"web\", \"runt");
        assertLoggedError(file, aside);
        assertThat(errors.get(0)).contains("Appliance web is not loaded: apply it again");

        // Applying it again works and is kept.
        spew.appliances().apply("web.yaml", APPLIANCE);
        spew.close();
        spew = engine();
        assertThat(spew.appliances().list()).extracting(a -> a.name()).containsExactly("db", "web");
    }

    @Test
    void anEmptyApplianceFileIsSetAside() throws IOException {
        Files.createDirectories(data.resolve("appliances"));
        Path file = data.resolve("appliances").resolve("web.json");
        Files.writeString(file, "");
        spew = engine();
        assertThat(spew.appliances().list()).isEmpty();
        assertLoggedError(file, onlySetAside(file.getParent()));
    }

    @Test
    void aCorruptBuildFileIsSetAside() throws IOException {
        String sha = "ab".repeat(32);
        Path entry = Files.createDirectories(data.resolve("builds").resolve(sha).resolve("rootfs")).getParent();
        Path file = entry.resolve("build.json");
        Files.writeString(file, "garbage");
        spew = engine();
        assertThat(spew.builds().list()).isEmpty();
        Path aside = onlySetAside(entry);
        assertLoggedError(file, aside);
        assertThat(errors.get(0)).contains("remove " + entry);
        assertThat(entry.resolve("rootfs")).isDirectory();
    }

    private Spew engine() {
        return SpewEngine.builder().dataDirectory(data).start();
    }

    private static Path onlySetAside(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> aside = files.filter(CorruptFiles::isSetAside).toList();
            assertThat(aside).hasSize(1);
            return aside.get(0);
        }
    }

    private void assertLoggedError(Path file, Path aside) {
        synchronized (errors) {
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains(file.toString(), aside.toString(), "corrupt", "delete it once");
        }
    }
}
