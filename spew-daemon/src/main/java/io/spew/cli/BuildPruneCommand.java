package io.spew.cli;

import io.spew.build.Build;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code spew build prune}. */
@Command(name = "prune",
        description = "Removes every build that no appliance, instance or version of an appliance (spew history) uses.",
        footerHeading = "%nExamples:%n",
        footer = {"  spew build prune"})
final class BuildPruneCommand extends ClientCommand {
    @Override
    public Integer call() {
        List<Build> removed = client().pruneBuilds();
        for (Build build : removed) {
            out().println("removed " + build.reference() + " (" + build.id() + ")");
        }
        if (removed.isEmpty()) {
            out().println("nothing to prune: every build is in use");
        }
        return 0;
    }
}
