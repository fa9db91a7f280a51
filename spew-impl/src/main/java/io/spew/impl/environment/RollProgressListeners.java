package io.spew.impl.environment;

import io.spew.Registration;
import io.spew.environment.RollProgress;
import io.spew.environment.RollProgress.Phase;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Logs the progress of each roll and tells every listener of it; a listener that throws is logged. */
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

    Registration add(Consumer<RollProgress> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void progress(String appliance, Phase phase, Versions versions, int replaced, int total, String detail) {
        RollProgress progress = new RollProgress(Instant.now(), appliance, phase, versions.from(), versions.to(),
                replaced, total, detail);
        LOG.log(phase == Phase.FAILED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "roll of " + appliance + " (version " + versions.from() + " to " + versions.to() + "): " + phase
                        + ", " + replaced + " of " + total + (detail == null ? "" : ": " + detail));
        for (Consumer<RollProgress> listener : listeners) {
            try {
                listener.accept(progress);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a roll listener failed: " + e);
            }
        }
    }
}
