package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.Registration;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Keeps this host's routes to the other hosts' slices ({@link HostRoutes}) as {@link PeerSlices} says, from
 * start and after each change: routes to new slices are added, those of slices gone removed. At start a host
 * that knows no other slice touches no route (a host alone, as before clusters); a failure is logged and tried
 * again at the next change. Closing leaves the routes: the instances run on without the engine.
 */
public final class PeerRoutes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PeerRoutes.class.getName());

    private final PeerSlices peers;
    private final HostRoutes routes;
    private List<PeerSlice> applied;
    private Registration changes;

    public PeerRoutes(PeerSlices peers, HostRoutes routes) {
        this.peers = requireNonNull(peers, "peers is null");
        this.routes = requireNonNull(routes, "routes is null");
    }

    public synchronized void start() {
        changes = peers.onChange(this::sync);
        if (!peers.peers().isEmpty()) {
            sync();
        }
    }

    /** Makes the routes those to {@link PeerSlices#peers} unless they already are. */
    public synchronized void sync() {
        List<PeerSlice> wanted = peers.peers();
        if (wanted.equals(applied)) {
            return;
        }
        try {
            routes.sync(wanted);
            applied = wanted;
            LOG.log(Level.INFO, "routes to the other hosts' instances: " + (wanted.isEmpty() ? "none" : wanted));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no routes to the other hosts' instances: " + e.getMessage());
        }
    }

    /** The routes as last made, null before the first. */
    synchronized List<PeerSlice> applied() {
        return applied;
    }

    @Override
    public synchronized void close() {
        if (changes != null) {
            changes.close();
        }
    }
}
