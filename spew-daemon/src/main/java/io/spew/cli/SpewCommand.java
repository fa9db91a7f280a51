package io.spew.cli;

import io.spew.daemon.client.DaemonConnector;
import io.spew.impl.SpewEngine;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code spew}: the root command, holding the options every command shares. */
@Command(name = "spew",
        scope = ScopeType.INHERIT, // every command has --help and --version
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs software on Linux hosts with zero configuration.",
        subcommands = {
            DemoCommand.class,
            DaemonCommand.class,
            ApplianceCommand.class,
            RunCommand.class,
            PsCommand.class,
            LogsCommand.class,
            EventsCommand.class,
            StartCommand.class,
            StopCommand.class,
            InstanceActionCommand.Restart.class,
            KillCommand.class,
            RemoveCommand.class,
            HostCommand.class,
            PanelCommand.class,
            ClusterCommand.class,
            BuildCommand.class,
            TrustCommand.class,
            PlanCommand.class,
            RollCommands.History.class,
            RollCommands.Rollback.class,
            RollCommands.Promote.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew demo                       a first look: three hello instances",
            "  spew appliance apply web.yaml   apply an appliance",
            "  spew run web --name web-1       run an instance of it",
            "  spew ps --all                   every instance, whatever its state",
            "  spew --data-dir /tmp/spew ps    another data directory",
        })
public final class SpewCommand {
    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The data directory (default: $SPEW_DATA_DIR, else /var/lib/spew for root,"
                    + " else $XDG_DATA_HOME/spew).")
    private Path dataDirectory;

    private DaemonConnector connector;

    /** {@code --data-dir}, else {@code SPEW_DATA_DIR}, else the engine's default; absolute. */
    Path dataDirectory() {
        Path chosen = dataDirectory != null ? dataDirectory : SpewEngine.defaultDataDirectory();
        return chosen.toAbsolutePath().normalize();
    }

    /** Finds (or starts) the daemon of the data directory. */
    DaemonConnector connector() {
        if (connector == null) {
            connector = new DaemonConnector(dataDirectory());
        }
        return connector;
    }
}
