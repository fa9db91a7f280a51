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

    static List<String> of(Path nspawn, boolean registerWithMachined, InstanceSpec spec, NspawnConfig config,
            Path merged, List<String> command) {
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
        if (config.privateNetwork()) {
            arguments.add("--private-network");
        }
        arguments.add("--");
        arguments.addAll(command);
        return arguments;
    }
}
