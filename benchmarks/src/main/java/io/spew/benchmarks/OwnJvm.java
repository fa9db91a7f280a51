package io.spew.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The command that runs a main class of the benchmarks in a new JVM: the same java, the same class path. */
final class OwnJvm {
    private OwnJvm() {}

    static List<String> command(List<String> options, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return command;
    }
}
