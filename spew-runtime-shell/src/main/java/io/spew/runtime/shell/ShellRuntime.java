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
 * Runs the command on the host, leading its own session and process group, born in a cgroup of its
 * own (named after the instance), with output appended straight to the instance's log files. Signals
 * go to the whole group; the stop timeout kills everything in the cgroup. When the main process ends
 * (or a later engine finds it ended), whatever it left in its cgroup and group is killed and the cgroup
 * removed, so nothing of an instance outlives it, not even a process that called {@code setsid}.
 * Where the engine has no cgroups, the process group alone is what is killed.
 */
final class ShellRuntime implements InstanceRuntime {
    static final String NAME = "shell";
    /** The handle attribute naming the instance's cgroup. */
    static final String CGROUP = "cgroup";

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
        String cgroup = request.instanceId();
        SpawnedProcess process = context.processes().spawn(SpawnRequest.onHost(request));
        RuntimeHandle handle = new RuntimeHandle(NAME, process.pid(), process.startTime(),
                context.processes().bootId(), Map.of(CGROUP, cgroup));
        watch(handle, cgroup, listener);
        return handle;
    }

    @Override
    public void stop(RuntimeHandle handle, StopPolicy policy) {
        stopper.stop(handle.pid(), true, handle.attributes().get(CGROUP), policy);
    }

    @Override
    public void kill(RuntimeHandle handle, Signal signal) {
        stopper.signal(handle.pid(), true, signal);
    }

    @Override
    public Optional<RuntimeHandle> recover(RuntimeHandle handle, LaunchRequest request, ExitListener listener) {
        String cgroup = request.instanceId();
        if (!context.processes().stillRuns(handle)) {
            // It ended while no engine watched: what it left goes now. A process of the instance with
            // the handle's pid (but another start time) is a later start of it, not a leftover.
            if (!context.processes().cgroupProcesses(cgroup).contains(handle.pid())) {
                context.processes().killAll(cgroup);
            }
            return Optional.empty();
        }
        watch(handle, cgroup, listener);
        return Optional.of(handle);
    }

    private void watch(RuntimeHandle handle, String cgroup, ExitListener listener) {
        context.processes().watch(handle.pid(), status -> {
            stopper.ended(handle.pid());
            // What the instance left in its group and cgroup goes with it.
            context.processes().signalGroup(handle.pid(), Signal.SIGKILL);
            context.processes().killAll(cgroup);
            listener.exited(handle, status);
        });
    }

    @Override
    public void close() {}
}
