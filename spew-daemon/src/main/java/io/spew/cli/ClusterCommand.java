package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.client.RunningDaemon;
import io.spew.daemon.cluster.ClusterDirectory;
import io.spew.daemon.cluster.ClusterSettings;
import io.spew.daemon.cluster.JoinToken;
import io.spew.host.Host;
import io.spew.host.HostState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spew cluster init | token | join TOKEN | leave}: the cluster key and membership of this host. Each
 * changes {@code DATA_DIR/cluster/} and restarts the daemon (its instances keep running) so it takes effect.
 */
@Command(name = "cluster",
        description = "Makes a cluster, joins one, or leaves it.",
        subcommands = {ClusterCommand.Init.class, ClusterCommand.Token.class, ClusterCommand.Join.class,
            ClusterCommand.Leave.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew cluster init --cluster-listen 10.0.0.1:7800   prints a join token on its last line",
            "  spew cluster join TOKEN                            on each other host",
            "  spew host ls",
        })
final class ClusterCommand {
    private static final String LISTEN_HELP = "Where this host listens for its peers (kept;"
            + " default: as kept, else this host's address, port 7800).";

    /** What init and join share: the cluster directory and {@code --cluster-listen}. */
    abstract static class ClusterChange extends ClientCommand {
        @Option(names = "--cluster-listen", paramLabel = "ADDR:PORT", description = LISTEN_HELP)
        String clusterListen;

        ClusterDirectory cluster() {
            return new ClusterDirectory(root().dataDirectory());
        }

        RunningDaemon restart() {
            return DaemonRestart.restart(root().connector());
        }
    }

    /** {@code spew cluster init}. */
    @Command(name = "init",
            description = "Makes a cluster key: this host becomes a cluster of one. Prints the join token"
                    + " on its last line.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew cluster init", "  spew cluster init --cluster-listen 10.0.0.1:7800"})
    static final class Init extends ClusterChange {
        @Override
        public Integer call() {
            ClusterDirectory cluster = cluster();
            if (cluster.readKey().isPresent()) {
                throw new SpewException(ErrorCode.INVALID_STATE, "this host is already in a cluster: 'spew cluster"
                        + " token' prints its join token, 'spew cluster leave' leaves it");
            }
            cluster.remember(clusterListen, null);
            cluster.writeSettings(cluster.settings().withoutSeeds());
            cluster.makeKey();
            restart();
            out().println("made a cluster key in " + cluster.keyFile() + "; this host listens for its peers on "
                    + cluster.listen());
            out().println("on each other host run: spew cluster join TOKEN, with this token (it holds the key:"
                    + " keep it secret):");
            out().println(cluster.token().orElseThrow().encode());
            return 0;
        }
    }

    /** {@code spew cluster token}. */
    @Command(name = "token",
            description = "Prints the join token of this host's cluster (it holds the key: keep it secret).",
            footerHeading = "%nExamples:%n",
            footer = {"  spew cluster token"})
    static final class Token extends ClientCommand {
        @Override
        public Integer call() {
            Optional<JoinToken> token = new ClusterDirectory(root().dataDirectory()).token();
            if (token.isEmpty()) {
                throw notInCluster();
            }
            out().println(token.get().encode());
            return 0;
        }
    }

    /** {@code spew cluster join TOKEN}. */
    @Command(name = "join",
            description = "Joins the cluster of a join token, and checks that a member answers; if none does,"
                    + " this host stays as it was.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew cluster join spew1.…", "  spew cluster join --cluster-listen 10.0.0.2:7800 spew1.…"})
    static final class Join extends ClusterChange {
        private static final Duration JOIN_WAIT = Duration.ofSeconds(20);

        @Parameters(paramLabel = "TOKEN", description = "What 'spew cluster init' or 'spew cluster token' printed.")
        String token;

        @Override
        public Integer call() {
            JoinToken parsed = JoinToken.parse(token);
            ClusterDirectory cluster = cluster();
            Optional<String> key = cluster.readKey();
            if (key.isPresent() && !key.get().equals(parsed.key())) {
                throw new SpewException(ErrorCode.INVALID_STATE, "this host is in another cluster:"
                        + " run 'spew cluster leave' first");
            }
            ClusterSettings before = cluster.settings();
            cluster.remember(clusterListen, null);
            List<String> seeds = parsed.seeds().stream()
                    .filter(seed -> !seed.equals(cluster.listen().toString())).toList();
            cluster.writeSettings(cluster.settings().withSeeds(seeds));
            cluster.writeKey(parsed.key());
            long up;
            try {
                up = waitForPeers(restart());
            } catch (SpewException e) {
                // a daemon that cannot start in the cluster (its cluster port taken, say) starts as it was
                putBack(cluster, key, before);
                throw e;
            }
            if (up == 0) {
                putBack(cluster, key, before);
                throw new SpewException(ErrorCode.CLUSTER_UNAVAILABLE, "no member of the cluster at "
                        + String.join(", ", parsed.seeds()) + " accepted this host within " + JOIN_WAIT.toSeconds()
                        + " s: check the token, that those addresses are reachable, and that this host's cluster"
                        + " address " + cluster.listen() + " is reachable from them (--cluster-listen);"
                        + " this host is back as it was");
            }
            out().println("joined the cluster: " + (up + 1) + " hosts up (see 'spew host ls')");
            return 0;
        }

        private void putBack(ClusterDirectory cluster, Optional<String> key, ClusterSettings before) {
            if (key.isEmpty()) {
                cluster.deleteKey();
            }
            cluster.writeSettings(before);
            restart();
        }

        private long waitForPeers(RunningDaemon daemon) {
            long deadline = System.nanoTime() + JOIN_WAIT.toNanos();
            while (true) {
                List<Host> hosts = daemon.client().hosts();
                long up = hosts.stream().filter(host -> !host.local() && host.state() == HostState.UP).count();
                if (up > 0 || System.nanoTime() > deadline) {
                    return up;
                }
                DaemonRestart.pause(200);
            }
        }
    }

    /** {@code spew cluster leave}. */
    @Command(name = "leave",
            description = {"Leaves the cluster and forgets its key: this host runs alone again. The other hosts",
                    "stop counting it toward their majority and place its instances elsewhere; its own keep",
                    "running here. A majority of the cluster must be up to agree, unless --force."},
            footerHeading = "%nExamples:%n",
            footer = {"  spew cluster leave",
                    "  spew cluster leave --force     the others are gone for good: forget the cluster anyway"})
    static final class Leave extends ClientCommand {
        @Option(names = "--force", description = "Forget the cluster even when its majority cannot agree (the"
                + " others then still count this host until it is back).")
        boolean force;

        @Override
        public Integer call() {
            ClusterDirectory cluster = new ClusterDirectory(root().dataDirectory());
            if (cluster.readKey().isEmpty()) {
                out().println("this host is in no cluster");
                return 0;
            }
            try {
                client().leaveCluster();
            } catch (SpewException e) {
                if (!force) {
                    throw new SpewException(e.code(), "cannot leave the cluster: " + e.getMessage()
                            + "; 'spew cluster leave --force' forgets it anyway");
                }
                err().println("spew: leaving without the cluster's agreement: " + e.getMessage());
            }
            cluster.deleteKey();
            cluster.deleteRaftLog();
            cluster.writeSettings(cluster.settings().withoutSeeds());
            DaemonRestart.restart(root().connector());
            out().println("left the cluster: this host runs alone");
            return 0;
        }
    }

    static SpewException notInCluster() {
        return new SpewException(ErrorCode.INVALID_STATE,
                "this host is in no cluster: 'spew cluster init' makes one, 'spew cluster join TOKEN' joins one");
    }
}
