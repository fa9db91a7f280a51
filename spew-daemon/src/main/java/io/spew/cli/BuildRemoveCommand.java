package io.spew.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spew build rm BUILD...}. */
@Command(name = "rm",
        description = "Removes builds that no appliance or instance uses.",
        footerHeading = "%nExamples:%n",
        footer = {"  spew build rm web@1.3", "  spew build rm sha256:3f2a9c41be07"})
final class BuildRemoveCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "BUILD", description = "sha256:…, name (the newest) or name@version.")
    List<String> refs;

    @Override
    public Integer call() {
        return forEach(refs, ref -> out().println("removed " + client().removeBuild(ref).reference()));
    }
}
