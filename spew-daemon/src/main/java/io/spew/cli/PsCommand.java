package io.spew.cli;

import io.spew.daemon.api.InstanceSummary;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew ps}: the instances, the active ones unless {@code --all}. */
@Command(name = "ps",
        description = "Lists instances: those starting, running, stopping or restarting; --all adds the"
                + " created, stopped, crashed, failed and lost ones.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew ps",
            "  spew ps --all",
            "  spew ps --json | jq '.[] | select(.state == \"running\") | .pid'",
        })
final class PsCommand extends ClientCommand {
    @Option(names = {"-a", "--all"}, description = "Show instances in every state.")
    boolean all;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        List<InstanceSummary> instances = client().instances().stream()
                .filter(instance -> all || InstanceTable.isShownByDefault(instance))
                .collect(Collectors.toList());
        if (json) {
            printJson(instances);
        } else {
            InstanceTable.print(out(), instances, "");
        }
        return 0;
    }
}
