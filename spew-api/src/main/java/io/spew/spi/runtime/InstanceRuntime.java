package io.spew.spi.runtime;

import io.spew.instance.InstanceSpec;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import java.nio.file.Path;
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

    /**
     * What to spawn to run a health check's command inside a running instance: the engine spawns it in
     * a session of its own, waits for it to exit (0 passes) and kills its process group after the
     * check's timeout. The default runs the command on the host with the instance's environment and
     * working directory, as the instance itself runs; a runtime that isolates its instances runs it
     * inside them. Throws {@code START_FAILED} when the instance cannot take a command now (a container
     * still being set up): the check counts as failed.
     *
     * @param handle the running instance
     * @param spec its spec
     * @param command the check's command and its arguments
     * @param output where the command's output goes
     */
    default SpawnRequest checkProcess(RuntimeHandle handle, InstanceSpec spec, List<String> command, Path output) {
        Path workdir = spec.workdir() == null ? null : Path.of(spec.workdir());
        return new SpawnRequest(command, spec.env(), workdir, output, output, true);
    }

    /** Releases what the runtime holds; running instances keep running. */
    @Override
    void close();
}
