package io.spew.cli;

import io.spew.environment.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spew start [FILE] [--env ENV] [--wait]} converges to an environment file;
 * {@code spew start INSTANCE...} starts instances.
 */
@Command(name = "start",
        description = {"Converges to an environment file (default: spew.yaml): applies its appliances, then creates,"
                + " starts, stops and removes instances until the counts match; or starts the instances named."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew start                       spew.yaml of this directory",
            "  spew start spew.yaml --env prod --wait",
            "  spew start hello-1 hello-2       instances",
        })
final class StartCommand extends ClientCommand {
    @Parameters(arity = "0..*", paramLabel = "FILE|INSTANCE", description = "An environment file, or instances.")
    List<String> arguments;

    @Option(names = "--env", paramLabel = "ENV", description = "An environment of the file (default: its own counts).")
    String environment;

    @Option(names = "--wait", description = "Return only once every instance runs and is healthy.")
    boolean waitHealthy;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long an appliance waits for those it requires (and --wait for all): 500ms, 30s, 5m.")
    String timeout;

    @Override
    public Integer call() {
        Optional<Path> file = EnvironmentArguments.file(arguments, environment);
        if (file.isEmpty()) {
            return forEach(arguments, ref -> out().println("started " + client().start(ref).name()));
        }
        Duration wait = duration(timeout);
        Plan plan = RollWatch.around(client(), out(), err(), () -> client().startEnvironment(
                EnvironmentArguments.request(file.get(), environment, wait, waitHealthy, false)));
        PlanText.print(out(), plan, "up to date: every instance runs");
        return 0;
    }

    static Duration duration(String text) {
        try {
            return io.spew.impl.appliance.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new io.spew.SpewException(io.spew.ErrorCode.INVALID_ARGUMENT, "--timeout: " + e.getMessage());
        }
    }

}
