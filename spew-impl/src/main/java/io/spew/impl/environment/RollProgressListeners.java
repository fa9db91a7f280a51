package io.spew.impl.environment;

import io.spew.Registration;
import io.spew.environment.RollProgress;
import io.spew.environment.RollProgress.Phase;
import io.spew.impl.host.HostFacts;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Logs the progress of each roll of this host's instances and tells every listener of it, with this host's id; a
 * listener that throws is logged. In a cluster the steps of the other hosts' rolls come too ({@link #relay}).
 */
@Singleton
final class RollProgressListeners {
    /**
     * The versions of an appliance a roll goes from and to; either may be unknown (null).
     *
     * @param from the version its instances ran before
     * @param to the version rolled to
     */
    record Versions(Integer from, Integer to) {
        static final Versions UNKNOWN = new Versions(null, null);
    }

    private static final System.Logger LOG = System.getLogger(RollProgressListeners.class.getName());

    private final List<Consumer<RollProgress>> listeners = new CopyOnWriteArrayList<>();
    private final String host;

    @Inject
    RollProgressListeners(HostFacts facts) {
        this.host = facts.id();
    }

    /** This host's id, as the steps of its rolls carry it. */
    String host() {
        return host;
    }

    Registration add(Consumer<RollProgress> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void progress(String appliance, Phase phase, Versions versions, int replaced, int total, String detail) {
        RollProgress progress = new RollProgress(Instant.now(), appliance, phase, versions.from(), versions.to(),
                replaced, total, detail, host);
        LOG.log(phase == Phase.FAILED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "roll of " + appliance + " (version " + versions.from() + " to " + versions.to() + "): " + phase
                        + ", " + replaced + " of " + total + (detail == null ? "" : ": " + detail));
        tell(progress);
    }

    /** Tells every listener of a step of another host's roll. */
    void relay(RollProgress progress) {
        tell(progress);
    }

    private void tell(RollProgress progress) {
        for (Consumer<RollProgress> listener : listeners) {
            try {
                listener.accept(progress);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a roll listener failed: " + e);
            }
        }
    }
}
