package io.spew.cli;

import io.spew.appliance.Appliance;
import io.spew.appliance.ExplainedValue;
import java.util.List;
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
            "  spew appliance show web --explain    where each value comes from (extends)",
        })
final class ApplianceShowCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The appliance.")
    String name;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--explain", description = "Print each resolved value with the appliance and file:line:column that set it.")
    boolean explain;

    @Override
    public Integer call() {
        if (explain) {
            List<ExplainedValue> values = client().explain(name);
            if (json) {
                printJson(values);
            } else {
                Table table = new Table("KEY", "VALUE", "SET BY", "WHERE");
                for (ExplainedValue value : values) {
                    table.add(value.key(), value.value(), value.appliance() == null ? "(default)" : value.appliance(),
                            value.location() == null ? "-" : value.location());
                }
                table.print(out(), "");
                out().flush();
            }
            return 0;
        }
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
