package io.spew.runtime.noop;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.ExitListener;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.ProcessStopper;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs nothing. In {@code observe} mode the instance is a process started elsewhere: it runs until
 * that process ends, and stopping it signals that process (its whole group when it leads one). In
 * {@code static} mode the instance holds config only: it runs until stopped.
 */
final class VoidRuntime implements InstanceRuntime {
    static final String NAME = "void";
    private static final String GROUP = "group";

    private final RuntimeContext context;
    private final ProcessStopper stopper;
    private final Map<RuntimeHandle, ExitListener> statics = new ConcurrentHashMap<>();

    VoidRuntime(RuntimeContext context) {
        this.context = requireNonNull(context, "context is null");
        this.stopper = new ProcessStopper(context);
    }

    @Override
    public void checkConfig(Map<String, String> config) {
        VoidConfig.parse(config);
    }

    @Override
    public RuntimeHandle start(LaunchRequest request, ExitListener listener) {
        VoidConfig config = VoidConfig.parse(request.spec().config());
        if (config.mode() == VoidConfig.Mode.STATIC) {
            RuntimeHandle handle = new RuntimeHandle(NAME, 0, 0, context.processes().bootId(), Map.of());
            statics.put(handle, listener);
            return handle;
        }
        long pid = config.pid();
        OptionalLong startTime = context.processes().startTime(pid);
        if (startTime.isEmpty()) {
            throw new SpewException(ErrorCode.START_FAILED, "runtime void: no process " + pid + " to observe");
        }
        boolean leadsGroup = ProcessGroups.leadsGroup(pid);
        RuntimeHandle handle = new RuntimeHandle(NAME, pid, startTime.getAsLong(), context.processes().bootId(),
                Map.of(GROUP, Boolean.toString(leadsGroup)));
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
        if (!context.processes().stillRuns(handle)) {
            return Optional.empty();
        }
        watch(handle, listener);
        return Optional.of(handle);
    }

    private void watch(RuntimeHandle handle, ExitListener listener) {
        context.processes().watch(handle.pid(), status -> {
            stopper.ended(handle.pid());
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
