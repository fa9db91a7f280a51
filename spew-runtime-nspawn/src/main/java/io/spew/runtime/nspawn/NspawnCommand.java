package io.spew.runtime.nspawn;

import io.spew.instance.InstanceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The systemd-nspawn command line of one instance. The command runs as PID 2 under nspawn's stub init
 * ({@code --as-pid2}), so it keeps the default signal dispositions a PID 1 would lose, and its output
 * goes straight to the instance's log files ({@code --console=pipe}).
 */
final class NspawnCommand {
    private NspawnCommand() {}

    /**
     * The command that joins the cgroups (writing its pid to each {@code cgroup.procs}) and then
     * executes nspawn in the same process, so nspawn and the whole container start inside them.
     */
    static List<String> joiningCgroups(List<Path> cgroupProcs, List<String> nspawnCommand) {
        if (cgroupProcs.isEmpty()) {
            return nspawnCommand;
        }
        StringBuilder script = new StringBuilder("for procs in");
        for (Path procs : cgroupProcs) {
            String path = procs.toString();
            if (path.contains("'")) {
                throw new IllegalArgumentException("a cgroup path with a quote: " + path);
            }
            script.append(" '").append(path).append('\'');
        }
        script.append("; do echo $$ > \"$procs\" || exit 125; done; exec \"$0\" \"$@\"");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script.toString()));
        command.addAll(nspawnCommand);
        return command;
    }

    static List<String> of(Path nspawn, boolean registerWithMachined, InstanceSpec spec, NspawnConfig config,
            Path merged, List<String> network, List<String> command) {
        List<String> arguments = new ArrayList<>();
        arguments.add(nspawn.toString());
        arguments.add("--quiet");
        arguments.add("--console=pipe");
        arguments.add("--as-pid2");
        arguments.add("--machine=" + spec.name());
        arguments.add("--directory=" + merged);
        if (!registerWithMachined) {
            arguments.add("--register=no");
            arguments.add("--keep-unit");
        }
        arguments.add("--hostname=" + (config.hostname() == null ? spec.name() : config.hostname()));
        if (spec.workdir() != null) {
            arguments.add("--chdir=" + spec.workdir());
        }
        spec.env().forEach((name, value) -> arguments.add("--setenv=" + name + "=" + value));
        config.bind().forEach(path -> arguments.add("--bind=" + path));
        config.bindReadOnly().forEach(path -> arguments.add("--bind-ro=" + path));
        config.tmpfs().forEach(path -> arguments.add("--tmpfs=" + path));
        Limits limits = config.limits();
        if (registerWithMachined) {
            // systemd runs the host: the limits are properties of the container's scope.
            if (limits.memoryBytes() > 0) {
                arguments.add("--property=MemoryMax=" + limits.memoryBytes());
            }
            if (limits.cpuMillis() > 0) {
                arguments.add("--property=CPUQuota=" + (limits.cpuMillis() / 10) + "%");
            }
            if (limits.pids() > 0) {
                arguments.add("--property=TasksMax=" + limits.pids());
            }
        }
        if (config.privateNetwork()) {
            arguments.add("--private-network");
        }
        arguments.addAll(network);
        arguments.add("--");
        arguments.addAll(command);
        return arguments;
    }
}
