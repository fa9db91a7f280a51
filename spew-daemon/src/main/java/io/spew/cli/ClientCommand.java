package io.spew.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.DaemonClient;
import io.spew.impl.json.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command has: the root's options, the daemon client, and its output. */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private DaemonClient client;

    SpewCommand root() {
        return (SpewCommand) spec.root().userObject();
    }

    /** The daemon of the data directory, started in the background if none answers. */
    DaemonClient client() {
        if (client == null) {
            client = root().connector().connect();
        }
        return client;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code value} as indented JSON in Spew's one mapping. */
    void printJson(Object value) {
        try {
            out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code action} on each of {@code items}, printing one error line for each that fails;
     * returns the exit code of the first failure, or 0.
     */
    int forEach(List<String> items, Consumer<String> action) {
        int exitCode = 0;
        for (String item : items) {
            try {
                action.accept(item);
            } catch (SpewException e) {
                if (e.code() == ErrorCode.DAEMON_UNAVAILABLE) {
                    throw e;
                }
                err().println("spew: " + Main.oneLine(e.userMessage()));
                err().flush();
                exitCode = exitCode == 0 ? e.code().exitCode() : exitCode;
            }
            out().flush();
        }
        return exitCode;
    }
}
