package io.spew.runtime.noop;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.ExitListener;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.ProcessStopper;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs nothing of its own. In {@code observe} mode the instance is a process started elsewhere: it
 * runs until that process ends, and stopping it signals that process (its whole group when it leads
 * one). In {@code adopt} mode it observes that process the same way the first time it starts; once
 * that process has ended, each start runs the appliance's command on the host instead, like the
 * {@code shell} runtime. In {@code static} mode the instance holds config only: it runs until stopped.
 */
final class VoidRuntime implements InstanceRuntime {
    static final String NAME = "void";
    private static final System.Logger LOG = System.getLogger(VoidRuntime.class.getName());
    private static final String GROUP = "group";
    /** Set on the handle of a process the runtime spawned itself (adopt mode, after the adopted one ended). */
    private static final String SPAWNED = "spawned";

    private final RuntimeContext context;
    private final HostProcesses processes;
    private final ProcessStopper stopper;
    private final Map<RuntimeHandle, ExitListener> statics = new ConcurrentHashMap<>();

    VoidRuntime(RuntimeContext context) {
        this.context = requireNonNull(context, "context is null");
        this.processes = context.processes();
        this.stopper = new ProcessStopper(context);
    }

    @Override
    public void checkConfig(Map<String, String> config) {
        VoidConfig.parse(config);
    }

    @Override
    public void checkAppliance(Map<String, String> config, List<String> command) {
        VoidConfig.parse(config).checkCommand(command);
    }

    @Override
    public RuntimeHandle start(LaunchRequest request, ExitListener listener) {
        VoidConfig config = VoidConfig.parse(request.spec().config());
        return switch (config.mode()) {
            case STATIC -> {
                RuntimeHandle handle = new RuntimeHandle(NAME, 0, 0, processes.bootId(), Map.of());
                statics.put(handle, listener);
                yield handle;
            }
            case OBSERVE -> {
                OptionalLong startTime = processes.startTime(config.pid());
                if (startTime.isEmpty()) {
                    throw new SpewException(ErrorCode.START_FAILED,
                            "runtime void: no process " + config.pid() + " to observe");
                }
                yield observe(config.pid(), startTime.getAsLong(), listener);
            }
            case ADOPT -> adopt(config, request, listener);
        };
    }

    /**
     * Observes the configured process if this instance never adopted one, or if it is the very process
     * it adopted; else (it ended, or another process has its pid now) runs the command.
     */
    private RuntimeHandle adopt(VoidConfig config, LaunchRequest request, ExitListener listener) {
        config.checkCommand(request.spec().command());
        Optional<AdoptedProcess> adopted = AdoptedProcess.read(request.directory())
                .filter(process -> process.pid() == config.pid());
        OptionalLong startTime = processes.startTime(config.pid());
        AdoptedProcess current = new AdoptedProcess(config.pid(), startTime.orElse(0), processes.bootId());
        if (adopted.isEmpty()) {
            current.write(request.directory());
        }
        if (startTime.isPresent() && adopted.orElse(current).equals(current)) {
            LOG.log(System.Logger.Level.INFO, "instance {0}: adopted process {1}",
                    request.spec().name(), Long.toString(config.pid()));
            return observe(config.pid(), startTime.getAsLong(), listener);
        }
        LOG.log(System.Logger.Level.INFO, "instance {0}: the adopted process {1} has ended, running its command {2}",
                request.spec().name(), Long.toString(config.pid()), request.spec().command());
        SpawnedProcess process = processes.spawn(SpawnRequest.onHost(request));
        RuntimeHandle handle = new RuntimeHandle(NAME, process.pid(), process.startTime(), processes.bootId(),
                Map.of(GROUP, "true", SPAWNED, "true"));
        watch(handle, listener);
        return handle;
    }

    private RuntimeHandle observe(long pid, long startTime, ExitListener listener) {
        RuntimeHandle handle = new RuntimeHandle(NAME, pid, startTime, processes.bootId(),
                Map.of(GROUP, Boolean.toString(ProcessGroups.leadsGroup(pid))));
        watch(handle, listener);
        return handle;
    }

    @Override
    public void stop(RuntimeHandle handle, StopPolicy policy) {
        if (handle.pid() == 0) {
            ExitListener listener = statics.remove(handle);
            if (listener != null) {
                context.scheduler().execute(() -> listener.exited(handle, ExitStatus.exited(0)));
            }
            return;
        }
        stopper.stop(handle.pid(), isGroup(handle), policy);
    }

    @Override
    public void kill(RuntimeHandle handle, Signal signal) {
        if (handle.pid() == 0) {
            if (signal == Signal.SIGKILL) {
                stop(handle, StopPolicy.DEFAULT);
            }
            return;
        }
        stopper.signal(handle.pid(), isGroup(handle), signal);
    }

    @Override
    public Optional<RuntimeHandle> recover(RuntimeHandle handle, LaunchRequest request, ExitListener listener) {
        if (handle.pid() == 0) {
            statics.put(handle, listener);
            return Optional.of(handle);
        }
        if (!processes.stillRuns(handle)) {
            return Optional.empty();
        }
        watch(handle, listener);
        return Optional.of(handle);
    }

    private void watch(RuntimeHandle handle, ExitListener listener) {
        processes.watch(handle.pid(), status -> {
            stopper.ended(handle.pid());
            if (Boolean.parseBoolean(handle.attributes().get(SPAWNED))) {
                // What a process the runtime started left in its group goes with it, as with shell.
                processes.signalGroup(handle.pid(), Signal.SIGKILL);
            }
            listener.exited(handle, status);
        });
    }

    private static boolean isGroup(RuntimeHandle handle) {
        return Boolean.parseBoolean(handle.attributes().get(GROUP));
    }

    @Override
    public void close() {
        statics.clear();
    }
}
