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

    /** {@code spew restart INSTANCE|APPLIANCE...}. */
    @Command(name = "restart",
            description = {"Stops then starts instances; an appliance of an environment restarts its instances a few"
                    + " at a time, each healthy before the next (update.max_parallel, update.min_healthy_time)."},
            footerHeading = "%nExamples:%n",
            footer = {"  spew restart hello-1", "  spew restart web          every instance of appliance web, rolling"})
    static final class Restart extends InstanceActionCommand {
        Restart() {
            super("restarted", DaemonClient::restart);
        }

        @Override
        public Integer call() {
            return forEach(refs, ref -> {
                Instance instance;
                try {
                    instance = client().restart(ref);
                } catch (io.spew.SpewException e) {
                    if (e.code() != io.spew.ErrorCode.INSTANCE_NOT_FOUND || client().environments().stream()
                            .noneMatch(environment -> environment.counts().containsKey(ref))) {
                        throw e;
                    }
                    RollWatch.around(client(), out(), err(), () -> client().restartAppliance(ref));
                    out().println("restarted the instances of " + ref);
                    return;
                }
                out().println("restarted " + instance.name());
            });
        }
    }
}
