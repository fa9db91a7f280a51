package io.spew.cli;

import io.spew.build.Build;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew build ls}: every build, newest first. */
@Command(name = "ls",
        description = "Lists the builds, newest first, with their signer.",
        footerHeading = "%nExamples:%n",
        footer = {"  spew build ls", "  spew build ls --json"})
final class BuildListCommand extends ClientCommand {
    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        List<Build> builds = client().builds();
        if (json) {
            printJson(builds);
            return 0;
        }
        Table table = new Table("NAME", "VERSION", "ID", "SIGNER", "SIZE", "IMPORTED");
        for (Build build : builds) {
            table.add(build.name(), build.version(), build.id().sha256().substring(0, 12), BuildText.signer(build),
                    ProgressBar.bytes(build.unpackedBytes()), build.importedAt().toString());
        }
        table.print(out(), "");
        return 0;
    }
}
