package io.spew.runtime.nspawn;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.ExitStatus;
import io.spew.instance.InstanceSpec;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.spi.runtime.ExitListener;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.LaunchRequest;
import io.spew.spi.runtime.RuntimeContext;
import io.spew.spi.runtime.RuntimeHandle;
import io.spew.spi.runtime.SpawnRequest;
import io.spew.spi.runtime.SpawnedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs each instance under systemd-nspawn over an overlay root of its own. The handle's pid is
 * nspawn's; the container's init is nspawn's child and the command its child (PID 2 inside). Signals
 * go to the command; the stop timeout kills the container's init, which takes every process of the
 * container with it. nspawn is born in the instance's cgroup ({@link SpawnRequest#cgroup()}), so the
 * whole container is too; whatever is left in it when nspawn ends is killed and the cgroup removed.
 * The overlay is unmounted whenever the container ends, and when a later engine finds it ended.
 */
final class NspawnRuntime implements InstanceRuntime {
    static final String NAME = "nspawn";
    static final String MERGED = "merged";
    static final String INSTANCE = "instance";
    static final String MACHINE = "machine";
    /** The handle attribute naming the bridge of an instance with {@code network: private}. */
    static final String BRIDGE = "bridge";
    /** What nspawn's stub init exits with when the command died of a signal. */
    private static final int SIGNALED = 255;
    /** How often a signal is tried while the container has no command yet: 2 s in all. */
    private static final int SIGNAL_ATTEMPTS = 400;

    private final RuntimeContext context;
    private final Path nspawn;
    private final boolean registerWithMachined;
    private final CgroupLimits cgroups;
    private final boolean overlay;
    private final Map<Long, Signals> sent = new ConcurrentHashMap<>();
    private final PortProxy ports = new PortProxy();

    NspawnRuntime(RuntimeContext context, Path nspawn, boolean registerWithMachined, CgroupLimits cgroups,
            boolean overlay) {
        this.context = requireNonNull(context, "context is null");
        this.overlay = overlay;
        this.cgroups = requireNonNull(cgroups, "cgroups is null");
        this.nspawn = requireNonNull(nspawn, "nspawn is null");
        this.registerWithMachined = registerWithMachined;
    }

    /** The signals the runtime sent to one container, to tell how its command ended. */
    private static final class Signals {
        volatile Signal last;
        volatile boolean initKilled;
        volatile ScheduledFuture<?> pendingKill;
    }

    @Override
    public void checkConfig(Map<String, String> config) {
        NspawnConfig.parse(config);
    }

    @Override
    public RuntimeHandle start(LaunchRequest request, ExitListener listener) {
        InstanceSpec spec = request.spec();
        NspawnConfig config = NspawnConfig.parse(spec.config());
        Path lower = lowerLayer(request, config);
        InstanceRoot root = new InstanceRoot(request.directory(), overlay);
        List<String> command = spec.command().isEmpty() ? List.of(EntryPoint.of(lower)) : spec.command();
        root.mount(lower);
        SpawnedProcess process;
        InstanceNetwork network = config.network().enabled()
                ? new InstanceNetwork(request.instanceId(), config.network()) : null;
        try {
            List<String> networkArguments = network == null ? List.of()
                    : network.create(request.directory(), config.hostname() == null ? spec.name() : config.hostname());
            if (network != null) {
                ports.publish(request.instanceId(), spec.name(), spec.index(), config.ports(), config.network().host());
            }
            List<Path> cgroupProcs = registerWithMachined || config.limits().isEmpty()
                    ? List.of() : cgroups.create(request.instanceId(), config.limits());
            process = context.processes().spawn(new SpawnRequest(NspawnCommand.joiningCgroups(cgroupProcs,
                    NspawnCommand.of(nspawn, registerWithMachined, spec, config, root.merged(), networkArguments,
                            command)),
                    Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                    request.directory(), request.stdout(), request.stderr(), true, request.instanceId()));
        } catch (RuntimeException e) {
            root.unmount();
            context.processes().killAll(request.instanceId());
            cgroups.remove(request.instanceId());
            if (network != null) {
                ports.unpublish(request.instanceId());
                network.remove();
            }
            throw e;
        }
        Map<String, String> attributes = new TreeMap<>();
        attributes.put(MERGED, root.merged().toString());
        attributes.put(MACHINE, spec.name());
        attributes.put(INSTANCE, request.instanceId());
        if (network != null) {
            attributes.put(BRIDGE, config.network().bridge());
        }
        RuntimeHandle handle = new RuntimeHandle(NAME, process.pid(), process.startTime(),
                context.processes().bootId(), attributes);
        watch(handle, root, listener);
        return handle;
    }

    /** The build's rootfs ({@code <data>/builds/<sha256>/rootfs} beside {@code <data>/instances/<id>}), or config {@code root}. */
    static Path lowerLayer(LaunchRequest request, NspawnConfig config) {
        if (config.root() != null) {
            return Path.of(config.root());
        }
        String build = request.spec().build();
        if (build == null) {
            throw new SpewException(ErrorCode.START_FAILED, "instance " + request.spec().name()
                    + " has no build: give the appliance a 'build' (runtime nspawn runs a build's root file system)");
        }
        String sha256 = build.startsWith("sha256:") ? build.substring("sha256:".length()) : build;
        Path data = request.directory().toAbsolutePath().getParent().getParent();
        return data.resolve("builds").resolve(sha256).resolve("rootfs");
    }

    @Override
    public void stop(RuntimeHandle handle, StopPolicy policy) {
        Signals signals = sent.computeIfAbsent(handle.pid(), pid -> new Signals());
        ScheduledFuture<?> previous = signals.pendingKill;
        signals.pendingKill = context.scheduler().schedule(() -> killInit(handle, signals),
                policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (previous != null) {
            previous.cancel(false);
        }
        kill(handle, policy.signal());
    }

    private void killInit(RuntimeHandle handle, Signals signals) {
        OptionalLong init = ProcessTree.containerInit(handle.pid());
        signals.last = Signal.SIGKILL;
        signals.initKilled = true;
        if (init.isPresent()) {
            context.processes().signal(init.getAsLong(), Signal.SIGKILL);
        } else {
            context.processes().signal(handle.pid(), Signal.SIGKILL);
        }
    }

    @Override
    public void kill(RuntimeHandle handle, Signal signal) {
        Signals signals = sent.computeIfAbsent(handle.pid(), pid -> new Signals());
        signals.last = signal;
        deliver(handle, signal, SIGNAL_ATTEMPTS);
    }

    /**
     * Signals the command; while the container is still being set up (no command yet), tries again a
     * moment later on the scheduler, and in the end kills the container's init (or nspawn).
     */
    private void deliver(RuntimeHandle handle, Signal signal, int attemptsLeft) {
        if (!context.processes().stillRuns(handle)) {
            return;
        }
        OptionalLong command = ProcessTree.command(handle.pid());
        if (command.isPresent()) {
            context.processes().signal(command.getAsLong(), signal);
        } else if (attemptsLeft > 0) {
            context.scheduler().schedule(() -> deliver(handle, signal, attemptsLeft - 1), 5, TimeUnit.MILLISECONDS);
        } else {
            Signals signals = sent.computeIfAbsent(handle.pid(), pid -> new Signals());
            killInit(handle, signals);
        }
    }

    /**
     * Runs a health check's command inside the container with nsenter: in the namespaces (mount, UTS,
     * IPC, network, PID), root and working directory of the container's command (its init while there
     * is no command yet), with the instance's environment. The check's process stays in the engine's
     * cgroup, outside the container's limits.
     */
    @Override
    public SpawnRequest checkProcess(RuntimeHandle handle, InstanceSpec spec, List<String> command, Path output) {
        Path nsenter = HostTools.system().tool("nsenter").orElseThrow(() -> new SpewException(ErrorCode.START_FAILED,
                "nsenter not found: install util-linux to run exec health checks of nspawn instances"));
        boolean runs = context.processes().stillRuns(handle);
        OptionalLong target = runs ? ProcessTree.command(handle.pid()) : OptionalLong.empty();
        if (target.isEmpty() && runs) {
            target = ProcessTree.containerInit(handle.pid());
        }
        if (target.isEmpty()) {
            throw new SpewException(ErrorCode.START_FAILED, "the container of instance " + spec.name() + " does not run yet");
        }
        List<String> arguments = new ArrayList<>(List.of(nsenter.toString(),
                "--target=" + target.getAsLong(), "--mount", "--uts", "--ipc", "--net", "--pid", "--root", "--wd", "--"));
        arguments.addAll(command);
        return new SpawnRequest(arguments, spec.env(), null, output, output, true);
    }

    @Override
    public Optional<RuntimeHandle> recover(RuntimeHandle handle, LaunchRequest request, ExitListener listener) {
        InstanceRoot root = new InstanceRoot(request.directory(), overlay);
        if (!context.processes().stillRuns(handle)) {
            // It ended while no engine watched it: what it left mounted goes now, unless a container
            // still runs on it (a handle that is not this instance's latest).
            boolean pidReused = context.processes().startTime(handle.pid()).isPresent();
            if (!pidReused || !containerRunsOn(root)) {
                killOrphans(request.instanceId());
                context.processes().killAll(request.instanceId());
                NspawnLeftovers.SYSTEM.remove(handle.attributes().getOrDefault(MACHINE, ""), root.merged());
                root.unmount();
                cgroups.remove(request.instanceId());
                removeNetwork(handle);
            }
            return Optional.empty();
        }
        NspawnConfig config = NspawnConfig.parse(request.spec().config());
        if (config.network().enabled() && !config.ports().isEmpty()) {
            try {
                ports.publish(request.instanceId(), request.spec().name(), request.spec().index(), config.ports(),
                        config.network().host());
            } catch (RuntimeException e) {
                System.getLogger(NspawnRuntime.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
        watch(handle, root, listener);
        return Optional.of(handle);
    }

    /**
     * Whether a systemd-nspawn runs on the instance's root. Asked twice: a process in the middle of
     * exec (our cgroup wrapper becoming systemd-nspawn) shows an empty command line for a moment.
     */
    private static boolean containerRunsOn(InstanceRoot root) {
        String argument = "--directory=" + root.merged();
        if (ProcessTree.anyWithArgument(argument)) {
            return true;
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // when in doubt, leave it
        }
        return ProcessTree.anyWithArgument(argument);
    }

    private static void removeNetwork(RuntimeHandle handle) {
        String bridge = handle.attributes().get(BRIDGE);
        String instanceId = handle.attributes().getOrDefault(INSTANCE, "");
        if (bridge != null && !instanceId.isEmpty()) {
            InstanceNetwork.remove(instanceId, bridge);
        }
    }

    /** Kills containers of the instance that outlived their nspawn (it was killed with SIGKILL). */
    private void killOrphans(String instanceId) {
        if (instanceId.isEmpty()) {
            return;
        }
        for (long init : ProcessTree.containerInits("SPEW_INSTANCE_ID=" + instanceId)) {
            context.processes().signal(init, Signal.SIGKILL);
        }
    }

    private void watch(RuntimeHandle handle, InstanceRoot root, ExitListener listener) {
        context.processes().watch(handle.pid(), status -> {
            Signals signals = sent.remove(handle.pid());
            if (signals != null && signals.pendingKill != null) {
                signals.pendingKill.cancel(false);
            }
            String instanceId = handle.attributes().getOrDefault(INSTANCE, "");
            if (status.signal() != null) {
                // nspawn itself was killed: its container may live on without it.
                killOrphans(instanceId);
                NspawnLeftovers.SYSTEM.remove(handle.attributes().getOrDefault(MACHINE, ""), root.merged());
            }
            if (!instanceId.isEmpty()) {
                // Whatever of the container is left in its cgroup (the engine spawned nspawn into it).
                context.processes().killAll(instanceId);
            }
            cgroups.remove(instanceId);
            ports.unpublish(instanceId);
            removeNetwork(handle);
            try {
                root.unmount();
            } catch (RuntimeException e) {
                System.getLogger(NspawnRuntime.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot unmount " + root.merged() + ": " + e.getMessage());
            }
            listener.exited(handle, exitStatus(status, signals));
        });
    }

    /**
     * nspawn exits with its command's exit code; when the command died of a signal (255 from the stub
     * init) or the runtime killed the container's init, the status names the signal the runtime sent.
     */
    static ExitStatus exitStatus(ExitStatus nspawnStatus, Signals signals) {
        if (signals == null || signals.last == null || nspawnStatus.code() == null) {
            return nspawnStatus;
        }
        if (nspawnStatus.code() == SIGNALED || signals.initKilled && nspawnStatus.code() != 0) {
            return ExitStatus.signaled(signals.last.name());
        }
        return nspawnStatus;
    }

    /** Closes the published ports; the containers run on. */
    @Override
    public void close() {
        ports.close();
    }
}
