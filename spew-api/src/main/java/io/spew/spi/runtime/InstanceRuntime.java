package io.spew.spi.runtime;

import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the processes of instances. Methods return quickly; the end of a process is reported once
 * to the {@link ExitListener} given at start or recovery. Implementations hold no thread per
 * instance.
 */
public interface InstanceRuntime extends AutoCloseable {
    /** Checks runtime-specific settings; throws {@code INVALID_APPLIANCE} naming an unknown or bad key. */
    void checkConfig(Map<String, String> config);

    /**
     * Checks an appliance's settings for this runtime together with its command (some modes need
     * one); throws {@code INVALID_APPLIANCE}. By default only {@link #checkConfig}.
     */
    default void checkAppliance(Map<String, String> config, List<String> command) {
        checkConfig(config);
    }

    /** Starts the instance and returns once its process runs; throws {@code START_FAILED} if it cannot. */
    RuntimeHandle start(LaunchRequest request, ExitListener listener);

    /**
     * Begins to stop: sends the policy's signal, then SIGKILL once its timeout has passed. Returns at
     * once; the exit is reported to the listener.
     */
    void stop(RuntimeHandle handle, StopPolicy policy);

    /** Sends a signal to the instance's processes. */
    void kill(RuntimeHandle handle, Signal signal);

    /**
     * Takes over an instance started by an earlier engine, from its persisted handle. Returns the
     * handle if its process still runs (the exit will be reported to the listener), else empty.
     */
    Optional<RuntimeHandle> recover(RuntimeHandle handle, LaunchRequest request, ExitListener listener);

    /** Releases what the runtime holds; running instances keep running. */
    @Override
    void close();
}
