package io.spew.cli;

import io.spew.instance.Instance;
import io.spew.instance.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew kill INSTANCE}: sends a signal to an instance's processes. */
@Command(name = "kill",
        description = "Sends a signal (default TERM) to an instance's processes.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew kill hello-1",
            "  spew kill hello-1 --signal HUP",
        })
final class KillCommand extends ClientCommand {
    @Parameters(paramLabel = "INSTANCE", description = "Instance name, id or id prefix.")
    String ref;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "TERM",
            description = "A signal name (TERM, HUP, KILL, ...) or number; default ${DEFAULT-VALUE}.")
    String signal;

    @Override
    public Integer call() {
        Signal parsed = Signal.parse(signal);
        Instance instance = client().kill(ref, parsed);
        out().println("sent " + parsed + " to " + instance.name());
        return 0;
    }
}
