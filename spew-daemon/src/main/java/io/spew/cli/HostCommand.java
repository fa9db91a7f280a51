package io.spew.cli;

import io.spew.host.Host;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew host ls}: the hosts of the cluster. */
@Command(name = "host",
        description = "Shows the hosts of the cluster.",
        subcommands = HostCommand.ListHosts.class,
        footerHeading = "%nExamples:%n",
        footer = {"  spew host ls", "  spew host ls --json"})
final class HostCommand {
    /** {@code spew host ls}. */
    @Command(name = "ls",
            description = "Lists every host; the one answering has \"local\": true.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew host ls", "  spew host ls --json"})
    static final class ListHosts extends ClientCommand {
        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() {
            List<Host> hosts = client().hosts();
            if (json) {
                printJson(hosts);
                return 0;
            }
            Table table = new Table("NAME", "ID", "STATE", "LOCAL", "RUNTIMES", "CORES", "MEMORY", "LABELS");
            for (Host host : hosts) {
                table.add(host.name(), host.id(), host.state(), host.local() ? "yes" : "no",
                        String.join(",", host.runtimes()), host.cores(), gibibytes(host.memoryBytes()),
                        host.labels().isEmpty() ? null : host.labels().entrySet().stream()
                                .map(label -> label.getKey() + "=" + label.getValue())
                                .collect(Collectors.joining(",")));
            }
            table.print(out(), "");
            return 0;
        }

        private static String gibibytes(long bytes) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
        }
    }
}
