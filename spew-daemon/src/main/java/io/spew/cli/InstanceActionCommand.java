package io.spew.cli;

import io.spew.daemon.client.DaemonClient;
import io.spew.instance.Instance;
import java.util.List;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A lifecycle action on each instance named: {@code spew restart INSTANCE...} (start and stop also take
 * environment files: {@link StartCommand}, {@link StopCommand}).
 */
abstract class InstanceActionCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "INSTANCE", description = "Instance names, ids or id prefixes.")
    List<String> refs;

    private final String done;
    private final BiFunction<DaemonClient, String, Instance> action;

    InstanceActionCommand(String done, BiFunction<DaemonClient, String, Instance> action) {
        this.done = done;
        this.action = action;
    }

    @Override
    public Integer call() {
        return forEach(refs, ref -> out().println(done + " " + action.apply(client(), ref).name()));
    }

    /** {@code spew restart}. */
    @Command(name = "restart",
            description = "Stops then starts instances.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew restart hello-1"})
    static final class Restart extends InstanceActionCommand {
        Restart() {
            super("restarted", DaemonClient::restart);
        }
    }
}
