package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.RunningDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew daemon status}: pid, listen address, data directory, version, instances. */
@Command(name = "status",
        description = "Shows the daemon's pid, listen address, data directory, version and instance count;"
                + " exits 4 if it is not running.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew daemon status",
            "  spew daemon status --json",
        })
final class DaemonStatusCommand extends ClientCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        RunningDaemon running = root().connector().find().orElseThrow(() -> new SpewException(
                ErrorCode.DAEMON_UNAVAILABLE, "the daemon is not running for data dir " + root().dataDirectory()
                        + ": start it with 'spew daemon start'"));
        if (json) {
            printJson(running.info());
        } else {
            DaemonStatus.print(out(), running.info());
        }
        return 0;
    }
}
