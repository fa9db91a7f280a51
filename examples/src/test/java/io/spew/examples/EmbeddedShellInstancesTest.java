package io.spew.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedShellInstancesTest {
    @Test
    void threeInstancesGreetByTheirOwnName() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> lines = EmbeddedShellInstances.run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(lines).containsExactly("hello from greeter-1", "hello from greeter-2", "hello from greeter-3");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("started greeter-3");
    }

    @Test
    void theReadmeShowsTheExampleAsItIs() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/spew/examples/EmbeddedShellInstances.java"));
        String snippet = source.substring(source.indexOf("// tag::embed[]\n") + "// tag::embed[]\n".length(),
                source.indexOf("            // end::embed[]"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent());
    }
}
