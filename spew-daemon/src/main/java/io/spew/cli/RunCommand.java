package io.spew.cli;

import io.spew.daemon.api.InstanceSummary;
import io.spew.instance.Instance;
import io.spew.instance.RunRequest;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew run APPLIANCE}: creates an instance of an appliance and starts it. */
@Command(name = "run",
        description = "Runs a new instance of an appliance and prints its name.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew run hello                          named hello-1, hello-2, ...",
            "  spew run hello --name greeter",
            "  spew run web --set port=8081 --set mode=debug",
        })
final class RunCommand extends ClientCommand {
    @Parameters(paramLabel = "APPLIANCE", description = "The appliance to run.")
    String appliance;

    @Option(names = "--name", paramLabel = "NAME", description = "The instance name (default: APPLIANCE-INDEX).")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A value for one of the appliance's options.")
    Map<String, String> settings = new TreeMap<>();

    @Option(names = "--json", description = "Print the instance as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Instance instance = client().run(new RunRequest(appliance, name, new TreeMap<>(settings)));
        if (json) {
            printJson(InstanceSummary.of(instance));
        } else {
            out().println(instance.name());
        }
        return 0;
    }
}
