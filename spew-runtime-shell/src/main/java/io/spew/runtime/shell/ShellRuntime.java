package io.spew.runtime.shell;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.InstanceSpec;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.ExitListener;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.ProcessStopper;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the command on the host, leading its own session and process group, with output appended
 * straight to the instance's log files. Signals go to the whole group; when the main process ends,
 * whatever it left in its group is killed, so nothing of an instance outlives it.
 */
final class ShellRuntime implements InstanceRuntime {
    static final String NAME = "shell";

    private final RuntimeContext context;
    private final ProcessStopper stopper;

    ShellRuntime(RuntimeContext context) {
        this.context = requireNonNull(context, "context is null");
        this.stopper = new ProcessStopper(context);
    }

    @Override
    public void checkConfig(Map<String, String> config) {
        if (!config.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE,
                    "runtime shell takes no config, got: " + String.join(", ", config.keySet()));
        }
    }

    @Override
    public RuntimeHandle start(LaunchRequest request, ExitListener listener) {
        InstanceSpec spec = request.spec();
        checkConfig(spec.config());
        if (spec.command().isEmpty()) {
            throw new SpewException(ErrorCode.START_FAILED,
                    "instance " + spec.name() + " has no command: give the appliance a 'command'");
        }
        SpawnedProcess process = context.processes().spawn(SpawnRequest.onHost(request));
        RuntimeHandle handle = new RuntimeHandle(NAME, process.pid(), process.startTime(),
                context.processes().bootId(), Map.of());
        watch(handle, listener);
        return handle;
    }

    @Override
    public void stop(RuntimeHandle handle, StopPolicy policy) {
        stopper.stop(handle.pid(), true, policy);
    }

    @Override
    public void kill(RuntimeHandle handle, Signal signal) {
        stopper.signal(handle.pid(), true, signal);
    }

    @Override
    public Optional<RuntimeHandle> recover(RuntimeHandle handle, LaunchRequest request, ExitListener listener) {
        if (!context.processes().stillRuns(handle)) {
            return Optional.empty();
        }
        watch(handle, listener);
        return Optional.of(handle);
    }

    private void watch(RuntimeHandle handle, ExitListener listener) {
        context.processes().watch(handle.pid(), status -> {
            stopper.ended(handle.pid());
            // What the instance left in its group goes with it.
            context.processes().signalGroup(handle.pid(), Signal.SIGKILL);
            listener.exited(handle, status);
        });
    }

    @Override
    public void close() {}
}
