package io.spew.daemon;

import static java.util.Objects.requireNonNull;

import io.spew.Spew;
import io.spew.daemon.api.ApiServer;
import io.spew.daemon.api.DaemonControl;
import io.spew.daemon.api.DaemonInfo;
import io.spew.daemon.cluster.ClusterDirectory;
import io.spew.daemon.cluster.ClusterSettings;
import io.spew.impl.SpewEngine;
import io.spew.impl.os.OpenFileLimit;
import io.spew.impl.logs.LogSettings;
import io.spew.instance.Instance;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running daemon: the engine of one data directory (holding its lock), the API token and the
 * API server, whose address is in {@code daemon/address} while it serves. Closing it stops the
 * server and the engine; the instances keep running.
 */
public final class Daemon implements DaemonControl, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    private final Spew spew;
    private final DaemonDirectory directory;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    // read by API threads without the lock: close() holds it while it waits for them
    private volatile ApiServer server;
    private boolean closed;

    private Daemon(Spew spew, DaemonDirectory directory) {
        this.spew = spew;
        this.directory = directory;
    }

    /**
     * Starts the engine on {@code dataDirectory}, makes the token at first start, binds
     * {@code listen} (loopback only) and writes the address file.
     */
    public static Daemon start(Path dataDirectory, ListenAddress listen) {
        return start(dataDirectory, listen, null, Map.of());
    }

    /**
     * Starts the daemon as {@link #start(Path, ListenAddress)} does; in a cluster when {@code cluster/} holds
     * a key (see {@link ClusterDirectory}). {@code clusterListen} and {@code labels}, when given, are kept
     * there for the next starts.
     */
    public static Daemon start(Path dataDirectory, ListenAddress listen, String clusterListen,
            Map<String, String> labels) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        listen.requireLoopback();
        DaemonDirectory directory = new DaemonDirectory(dataDirectory);
        OpenFileLimit.raise(); // a pidfd and two pipes per instance
        Spew spew = engine(directory.dataDirectory(), clusterListen, labels)
                .logs(LogSettings.fromEnvironment(System.getenv())).start();
        Daemon daemon = new Daemon(spew, directory);
        try {
            daemon.serve(listen);
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    private static SpewEngine.Builder engine(Path dataDirectory, String clusterListen, Map<String, String> labels) {
        ClusterDirectory cluster = new ClusterDirectory(dataDirectory);
        ClusterSettings settings = cluster.remember(clusterListen, labels);
        SpewEngine.Builder builder = SpewEngine.builder().dataDirectory(dataDirectory);
        settings.labels().forEach(builder::label);
        cluster.transportSettings().ifPresent(transport -> {
            builder.clusterTransport("jgroups");
            transport.forEach(builder::clusterSetting);
            // the other hosts route this host's slice of the instance subnet through the address they reach it at
            builder.networkSetting("host-address", cluster.listen().host());
            LOG.log(Level.INFO, "in a cluster: listening for peers on " + cluster.listen());
        });
        return builder;
    }

    private synchronized void serve(ListenAddress listen) {
        String token = directory.ensureToken();
        server = ApiServer.start(spew, listen, token, this);
        directory.writeAddress(server.address());
        LOG.log(Level.INFO, "spew daemon " + Version.current() + " (pid " + ProcessHandle.current().pid()
                + ") listening on " + server.address() + " for " + directory.dataDirectory());
    }

    /** The address the API is served on. */
    public ListenAddress address() {
        return server.address();
    }

    @Override
    public DaemonInfo info() {
        List<Instance> instances = spew.instances().list();
        int active = (int) instances.stream().filter(instance -> instance.state().isActive()).count();
        return new DaemonInfo(ProcessHandle.current().pid(), address().toString(),
                directory.dataDirectory().toString(), Version.current(), instances.size(), active);
    }

    @Override
    public void stop(boolean stopInstances) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                if (stopInstances) {
                    new InstanceStopper(spew.instances(), spew.hosts().local().id()).stopAll();
                }
            } finally {
                close();
            }
        }, "spew-daemon-stop");
        thread.start();
    }

    /** Waits until the daemon was stopped through the API or closed. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops the server, deletes the address file, then closes the engine (releasing the lock).
     * The address file goes first so that it never names a daemon that a newer one replaced.
     * Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.close();
                directory.deleteAddress();
            }
        } finally {
            try {
                spew.close();
            } finally {
                LOG.log(Level.INFO, "spew daemon (pid " + ProcessHandle.current().pid() + ") stopped");
                stopped.countDown();
            }
        }
    }
}
