package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.daemon.api.BuildEvent;
import io.spew.daemon.api.RollEvent;
import io.spew.daemon.client.DaemonClient;
import io.spew.daemon.client.EventStream;
import io.spew.host.Host;
import io.spew.instance.InstanceEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spew events}: follows the changes of the instances, one line each, until Ctrl-C or the
 * daemon stops (exit 4).
 */
@Command(name = "events",
        description = "Follows the changes of instances as they happen: each change of state or health,"
                + " each restart, each step of a roll and of fetching a build from another host, one line each,"
                + " until Ctrl-C. Ends with exit code 4 when"
                + " the daemon stops.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew events",
            "  spew events --instance hello-1",
            "  spew events --appliance web --json",
            "  spew events --json | jq -r 'select(.state == \"crashed\") | .name'",
            "  spew events --json | jq -c 'select(.type == \"roll\")'",
        })
final class EventsCommand extends ClientCommand {
    @Option(names = "--instance", paramLabel = "NAME",
            description = "Only the events of this instance (name or id); no roll events.")
    String instance;

    @Option(names = "--appliance", paramLabel = "NAME", description = "Only the events of this appliance's instances and rolls.")
    String appliance;

    @Option(names = "--json", description = "Print each event as one line of JSON, as the daemon sends it.")
    boolean json;

    @Override
    public Integer call() {
        DaemonClient client = client();
        List<Host> hosts = json ? List.of() : client.hosts();
        Map<String, String> hostNames = hosts.stream()
                .collect(Collectors.toMap(Host::id, Host::name, (first, second) -> first));
        Function<String, String> hostName = id -> hostNames.getOrDefault(id, id);
        Function<String, String> rollHost = json ? id -> null : RollWatch.hostLabels(hosts);
        try (EventStream events = client.events(instance, appliance)) {
            for (Object event = events.next(); event != null; event = events.next()) {
                out().println(json ? events.line() : event instanceof RollEvent roll ? EventText.line(roll, rollHost)
                        : event instanceof BuildEvent fetch ? EventText.line(fetch, hostName)
                        : EventText.line((InstanceEvent) event, hostName));
                out().flush();
            }
        }
        throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon at " + client.address()
                + " stopped: no more events (start it again with 'spew daemon start')");
    }
}
