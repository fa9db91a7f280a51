package io.spew.cli;

import io.spew.daemon.api.EnvironmentRequest;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spew stop [FILE] [--env ENV] [--rm]} stops the instances of an environment file;
 * {@code spew stop INSTANCE...} stops instances.
 */
@Command(name = "stop",
        description = {"Stops the instances of an environment file (default: spew.yaml) in reverse 'requires' order"
                + " and forgets its desired state; or stops the instances named: their stop signal, then SIGKILL"
                + " after their stop timeout."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew stop                        the instances of spew.yaml of this directory",
            "  spew stop spew.yaml --rm         and remove them",
            "  spew stop old/spew.yaml          a file gone since it was started: what it started",
            "  spew stop hello-1 3f2a           instances",
        })
final class StopCommand extends ClientCommand {
    @Parameters(arity = "0..*", paramLabel = "FILE|INSTANCE", description = "An environment file, or instances.")
    List<String> arguments;

    @Option(names = "--env", paramLabel = "ENV", description = "An environment of the file.")
    String environment;

    @Option(names = "--rm", description = "Remove the environment's instances once stopped.")
    boolean remove;

    @Override
    public Integer call() {
        Optional<Path> file = EnvironmentArguments.file(arguments, environment);
        if (file.isEmpty()) {
            return forEach(arguments, ref -> out().println("stopped " + client().stop(ref).name()));
        }
        EnvironmentRequest request;
        if (!Files.exists(file.get()) && client().environments().stream()
                .anyMatch(started -> started.file().equals(file.get().toString()))) {
            request = new EnvironmentRequest(EnvironmentFiles.of(file.get().toString(), ""), environment, null, false, remove);
        } else {
            request = EnvironmentArguments.request(file.get(), environment, null, false, remove);
        }
        Plan plan = client().stopEnvironment(request);
        PlanText.print(out(), plan, "nothing runs");
        return 0;
    }
}
