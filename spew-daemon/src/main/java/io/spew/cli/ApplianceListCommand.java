package io.spew.cli;

import io.spew.appliance.Appliance;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew appliance ls}: every applied appliance. */
@Command(name = "ls",
        description = "Lists the applied appliances.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew appliance ls",
            "  spew appliance ls --json",
        })
final class ApplianceListCommand extends ClientCommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        List<Appliance> appliances = client().appliances();
        if (json) {
            printJson(appliances);
            return 0;
        }
        Table table = new Table("NAME", "RUNTIME", "COMMAND", "SOURCE");
        for (Appliance appliance : appliances) {
            table.add(appliance.name(), appliance.runtime(), ApplianceText.shortCommand(appliance.command()),
                    appliance.source());
        }
        table.print(out(), "");
        return 0;
    }
}
