package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An instance whose state file is corrupt when the daemon starts stays visible: {@code spew ps --all}
 * lists it as failed, its message says where the file went, and {@code spew rm} removes it.
 */
class CorruptStateCliIT extends DaemonProcessTest {
    @Test
    void anInstanceWithACorruptStateFileIsListedAsFailed() throws Exception {
        Path file = Files.writeString(temporary.resolve("web.yaml"), "name: web\nruntime: void\n", UTF_8);
        spew.ok("appliance", "apply", file.toString());
        spew.ok("run", "web");
        String id = spew.instance("web-1").get("id").asText();
        spew.ok("daemon", "stop");
        Path state = data.resolve("instances").resolve(id).resolve("instance.json");
        String content = Files.readString(state, UTF_8);
        Files.writeString(state, content.substring(0, content.length() / 3), UTF_8);

        spew.ok("daemon", "start");
        assertThat(spew.ok("ps", "--all").stdout()).containsPattern("web-1 +" + id + " +web +failed");
        JsonNode failed = spew.instance("web-1");
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        Path aside;
        try (Stream<Path> files = Files.list(state.getParent())) {
            List<Path> corrupt = files.filter(f -> f.getFileName().toString().startsWith("instance.json.corrupt-"))
                    .toList();
            assertThat(corrupt).hasSize(1);
            aside = corrupt.get(0);
        }
        assertThat(failed.get("message").asText()).contains("corrupt", aside.toString());

        spew.ok("rm", "web-1");
        assertThat(spew.ok("ps", "--all").stdout()).doesNotContain("web-1");
    }
}
