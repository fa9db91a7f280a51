package io.spew.examples;

import io.spew.Spew;
import io.spew.appliance.Appliance;
import io.spew.impl.SpewEngine;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.StopPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Embeds Spew: a temporary data directory, three shell instances of one appliance, their logs, and
 * a clean close. Run it with {@code java -cp ... io.spew.examples.EmbeddedShellInstances}.
 */
public final class EmbeddedShellInstances {
    private EmbeddedShellInstances() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Runs the example, printing what it does; returns the log line of each instance. */
    public static List<String> run(PrintStream out) throws IOException, InterruptedException {
        Path dataDirectory = Files.createTempDirectory("spew-example-");
        List<String> lines = new ArrayList<>();
        try {
            // tag::embed[]
            try (Spew spew = SpewEngine.builder().dataDirectory(dataDirectory).start()) {
                spew.appliances().apply(new Appliance("greeter", "shell",
                        List.of("/bin/sh", "-c", "echo hello from ${instance.name}; exec sleep 60"),
                        Map.of(), null, StopPolicy.DEFAULT, Map.of(), Map.of(), null));
                for (int i = 0; i < 3; i++) {
                    Instance instance = spew.instances().run(RunRequest.of("greeter"));
                    out.println("started " + instance.name() + " (pid " + instance.pid() + ")");
                }
                for (Instance instance : spew.instances().list()) {
                    Path log = spew.instances().log(instance.name(), LogStream.STDOUT);
                    lines.add(firstLine(log));
                    out.println(instance.name() + " says: " + lines.get(lines.size() - 1));
                    spew.instances().stop(instance.name());
                }
            }
            // end::embed[]
        } finally {
            deleteTree(dataDirectory);
        }
        return lines;
    }

    private static String firstLine(Path log) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            String content = Files.readString(log);
            if (content.contains("\n")) {
                return content.substring(0, content.indexOf('\n'));
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(log + " stayed empty for 5 s");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
