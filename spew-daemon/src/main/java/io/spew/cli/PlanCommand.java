package io.spew.cli;

import io.spew.environment.Plan;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew plan [FILE] [--env ENV]}: what {@code spew start} would do; changes nothing. */
@Command(name = "plan",
        description = "Prints what 'spew start' would apply, create, start, stop and remove; changes nothing.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew plan                       spew.yaml of this directory",
            "  spew plan spew.yaml --env prod",
        })
final class PlanCommand extends ClientCommand {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The environment file (default: spew.yaml).")
    List<String> file;

    @Option(names = "--env", paramLabel = "ENV", description = "An environment of the file (default: its own counts).")
    String environment;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Path path = EnvironmentArguments.file(file, environment == null ? "" : environment).orElseThrow();
        Plan plan = client().plan(EnvironmentArguments.request(path, environment, null, false, false));
        if (json) {
            printJson(plan);
        } else {
            PlanText.print(out(), plan, "up to date: nothing to do");
        }
        return 0;
    }
}
