package io.spew.cli;

import io.spew.daemon.ListenAddress;
import io.spew.daemon.client.RunningDaemon;
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
        })
final class DaemonStartCommand extends ClientCommand {
    @Option(names = "--listen", paramLabel = "ADDR:PORT",
            description = "Where the API listens (default: $SPEW_LISTEN, else 127.0.0.1:7070); loopback only.")
    String listen;

    @Override
    public Integer call() {
        if (listen != null) {
            ListenAddress.parse(listen).requireLoopback();
        }
        Optional<RunningDaemon> running = root().connector().find();
        if (running.isPresent()) {
            DaemonStatus.print(out(), running.get().info());
            return 0;
        }
        RunningDaemon started = root().connector().start(listen);
        out().println("started the daemon in the background; its log is "
                + root().connector().directory().logFile());
        DaemonStatus.print(out(), started.info());
        return 0;
    }
}
