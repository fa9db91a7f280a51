package io.spew.cli;

import io.spew.daemon.ListenAddress;
import io.spew.daemon.client.RunningDaemon;
import io.spew.daemon.cluster.ClusterDirectory;
import io.spew.daemon.cluster.ClusterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spew daemon start}: starts the daemon in the background unless one already answers. */
@Command(name = "start",
        description = "Starts the daemon in the background, detached, unless it runs already;"
                + " its output goes to DATA_DIR/daemon/daemon.log.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew daemon start",
            "  spew daemon start --listen 127.0.0.1:7171",
            "  spew daemon start --cluster-listen 10.0.0.5:7800 --label zone=a",
            "  spew daemon start --reschedule-after 5s",
        })
final class DaemonStartCommand extends ClientCommand {
    static final String RESCHEDULE_HELP = "How long a silent host may stay before it is lost and its instances are"
            + " placed elsewhere (default 10s, at least 1s; kept in DATA_DIR/cluster). Give every host the same.";

    @Option(names = "--listen", paramLabel = "ADDR:PORT",
            description = "Where the API listens (default: $SPEW_LISTEN, else 127.0.0.1:7070); loopback only.")
    String listen;

    @Option(names = "--cluster-listen", paramLabel = "ADDR:PORT",
            description = "Where the daemon listens for its cluster peers (kept in DATA_DIR/cluster;"
                    + " default: this host's address, port 7800). Used once the host is in a cluster.")
    String clusterListen;

    @Option(names = "--label", paramLabel = "K=V", description = "A label of this host (repeatable; kept).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--reschedule-after", paramLabel = "DURATION", description = RESCHEDULE_HELP)
    String rescheduleAfter;

    @Override
    public Integer call() {
        if (listen != null) {
            ListenAddress.parse(listen).requireLoopback();
        }
        if (rescheduleAfter != null) {
            ClusterSettings.parseRescheduleAfter(rescheduleAfter); // checked before anything is kept
        }
        ClusterDirectory cluster = new ClusterDirectory(root().dataDirectory());
        ClusterSettings before = cluster.settings();
        cluster.remember(clusterListen, ClusterDirectory.parseLabels(labels));
        boolean changed = !cluster.rememberRescheduleAfter(rescheduleAfter).equals(before);
        Optional<RunningDaemon> running = root().connector().find();
        if (running.isPresent()) {
            DaemonStatus.print(out(), running.get().info());
            if (changed) {
                out().println("the new --cluster-listen, --label or --reschedule-after apply from the next start:"
                        + " spew daemon stop && spew daemon start");
            }
            return 0;
        }
        RunningDaemon started = root().connector().start(listen);
        out().println("started the daemon in the background; its log is "
                + root().connector().directory().logFile());
        DaemonStatus.print(out(), started.info());
        return 0;
    }
}
