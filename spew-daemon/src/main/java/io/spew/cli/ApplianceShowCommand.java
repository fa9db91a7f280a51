package io.spew.cli;

import io.spew.appliance.Appliance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew appliance show NAME}: one appliance, as YAML or JSON. */
@Command(name = "show",
        description = "Shows one appliance.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew appliance show hello",
            "  spew appliance show hello --json",
        })
final class ApplianceShowCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The appliance.")
    String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        Appliance appliance = client().appliance(name);
        if (json) {
            printJson(appliance);
        } else {
            out().print(ApplianceText.yaml(appliance));
            out().flush();
        }
        return 0;
    }
}
