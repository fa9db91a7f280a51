package io.spew.cli;

import io.spew.daemon.Daemon;
import io.spew.daemon.ListenAddress;
import io.spew.daemon.cluster.ClusterDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spew daemon run}: the daemon itself, in the foreground, until SIGTERM, SIGINT or
 * {@code spew daemon stop}. Instances keep running when it exits.
 */
@Command(name = "run",
        description = "Runs the daemon in the foreground until SIGTERM, SIGINT or 'spew daemon stop'.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew daemon run                         on 127.0.0.1:7070 or $SPEW_LISTEN",
            "  spew daemon run --listen 127.0.0.1:0    a free port, written to daemon/address",
        })
final class DaemonRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT",
            description = "Where the API listens (default: $SPEW_LISTEN, else 127.0.0.1:7070); loopback only.")
    String listen;

    @Option(names = "--cluster-listen", paramLabel = "ADDR:PORT",
            description = "Where the daemon listens for its cluster peers (kept in DATA_DIR/cluster;"
                    + " default: this host's address, port 7800). Used once the host is in a cluster.")
    String clusterListen;

    @Option(names = "--label", paramLabel = "K=V", description = "A label of this host (repeatable; kept).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--reschedule-after", paramLabel = "DURATION", description = DaemonStartCommand.RESCHEDULE_HELP)
    String rescheduleAfter;

    @Override
    public Integer call() throws InterruptedException {
        SpewCommand root = (SpewCommand) spec.root().userObject();
        ListenAddress address = ListenAddress.choose(listen).requireLoopback();
        new ClusterDirectory(root.dataDirectory()).rememberRescheduleAfter(rescheduleAfter);
        Daemon daemon = Daemon.start(root.dataDirectory(), address, clusterListen, ClusterDirectory.parseLabels(labels));
        Thread hook = new Thread(daemon::close, "spew-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.awaitStop();
        daemon.close();
        return 0;
    }
}
