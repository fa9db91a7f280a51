package io.spew.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew rm INSTANCE...}: removes instances with their files. */
@Command(name = "rm",
        description = "Removes instances that are not running, with their files; --force stops them first.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew rm hello-3",
            "  spew rm --force hello-1 hello-2",
        })
final class RemoveCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "INSTANCE", description = "Instance names, ids or id prefixes.")
    List<String> refs;

    @Option(names = {"-f", "--force"}, description = "Stop running instances first.")
    boolean force;

    @Override
    public Integer call() {
        return forEach(refs, ref -> out().println("removed " + client().remove(ref, force).name()));
    }
}
