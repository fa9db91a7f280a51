package io.spew.cli;

import io.spew.environment.ApplianceVersion;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew history}, {@code spew rollback} and {@code spew promote}: the versions of an appliance. */
final class RollCommands {
    private RollCommands() {}

    /** {@code spew history APPLIANCE [--json]}. */
    @Command(name = "history",
            description = "Lists the versions of an appliance of an environment: build, resolved values, who, when.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew history web", "  spew history web --json"})
    static final class History extends ClientCommand {
        @Parameters(paramLabel = "APPLIANCE", description = "An appliance of an environment.")
        String appliance;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() {
            List<ApplianceVersion> versions = client().history(appliance);
            if (json) {
                printJson(versions);
                return 0;
            }
            print(versions);
            return 0;
        }

        private void print(List<ApplianceVersion> versions) {
            Table table = new Table("VERSION", "BUILD", "ENV", "WHEN", "WHO", "NOTE");
            for (int i = versions.size() - 1; i >= 0; i--) {
                ApplianceVersion version = versions.get(i);
                table.add((i == versions.size() - 1 ? "*" : "") + version.version(),
                        version.resolved().build() == null ? "-" : version.resolved().build(),
                        version.resolved().env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(" ")),
                        DateTimeFormatter.ISO_INSTANT.format(version.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                        version.by(), version.note());
            }
            if (versions.isEmpty()) {
                out().println("no versions: appliance " + appliance + " never ran in an environment");
                return;
            }
            table.print(out(), "");
        }
    }

    /** {@code spew rollback APPLIANCE [--to VERSION]}. */
    @Command(name = "rollback",
            description = "Rolls the instances of an appliance back to an older version (default: the one before"
                    + " the last), a few at a time as its update policy says.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew rollback web", "  spew rollback web --to 3"})
    static final class Rollback extends ClientCommand {
        @Parameters(paramLabel = "APPLIANCE", description = "An appliance of an environment.")
        String appliance;

        @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to (spew history).")
        Integer version;

        @Override
        public Integer call() {
            List<ApplianceVersion> versions = RollWatch.around(client(), out(), err(), () -> client().rollback(appliance, version));
            ApplianceVersion now = versions.get(versions.size() - 1);
            out().println(appliance + " is at version " + now.version() + " (" + now.note() + ")");
            return 0;
        }
    }

    /** {@code spew promote APPLIANCE}. */
    @Command(name = "promote",
            description = "Lets a roll that stopped after its canaries (update.canary) go on over the other instances.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew promote web"})
    static final class Promote extends ClientCommand {
        @Parameters(paramLabel = "APPLIANCE", description = "An appliance whose roll waits for a promotion.")
        String appliance;

        @Override
        public Integer call() {
            List<ApplianceVersion> versions = RollWatch.around(client(), out(), err(), () -> client().promote(appliance));
            out().println(appliance + " promoted: every instance is at version " + versions.get(versions.size() - 1).version());
            return 0;
        }
    }
}
