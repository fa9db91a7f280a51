package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.impl.state.CorruptFiles;
import io.spew.impl.state.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt desired-state file is set aside, not fatal and not silently dropped. */
class CorruptDesiredStateTest {
    @TempDir
    Path data;

    @Test
    void aTruncatedDesiredStateIsSetAside() throws Exception {
        Path file = Files.createDirectories(data.resolve("environments")).resolve("0123abcd.json");
        Files.writeString(file, "{\"file\": \"/srv/spew.ya");

        DesiredStates states = new DesiredStates(new DataDirectory(data));

        assertThat(states.list()).isEmpty();
        assertThat(file).doesNotExist();
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.toList()).singleElement().satisfies(aside -> {
                assertThat(CorruptFiles.isSetAside(aside)).isTrue();
                assertThat(aside.getFileName().toString()).startsWith("0123abcd.json.corrupt-");
                assertThat(Files.readString(aside)).isEqualTo("{\"file\": \"/srv/spew.ya");
            });
        }
    }
}
