package io.spew.cli;

import picocli.CommandLine.Command;

/** {@code spew daemon}: run, start, stop and inspect the daemon of a data directory. */
@Command(name = "daemon",
        description = "Runs, starts, stops and shows the daemon of the data directory.",
        subcommands = {DaemonRunCommand.class, DaemonStartCommand.class, DaemonStopCommand.class,
            DaemonStatusCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew daemon start                    start it in the background",
            "  spew daemon status                   pid, listen address, data directory",
            "  spew daemon stop --stop-instances    stop every instance, then the daemon",
        })
final class DaemonCommand {}
