package io.spew.cli;

import io.spew.daemon.client.DaemonClient;
import io.spew.instance.Instance;
import java.util.List;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spew start|stop|restart INSTANCE...}: one lifecycle action on each instance named. */
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

    /** {@code spew start}. */
    @Command(name = "start",
            description = "Starts created or ended instances.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew start hello-1", "  spew start hello-1 hello-2"})
    static final class Start extends InstanceActionCommand {
        Start() {
            super("started", DaemonClient::start);
        }
    }

    /** {@code spew stop}. */
    @Command(name = "stop",
            description = "Stops instances: their stop signal, then SIGKILL after their stop timeout.",
            footerHeading = "%nExamples:%n",
            footer = {"  spew stop hello-1", "  spew stop 3f2a hello-2"})
    static final class Stop extends InstanceActionCommand {
        Stop() {
            super("stopped", DaemonClient::stop);
        }
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
