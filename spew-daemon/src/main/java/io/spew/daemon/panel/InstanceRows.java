package io.spew.daemon.panel;

import static io.spew.daemon.panel.PanelLayout.ROOT;

import io.spew.host.Host;
import io.spew.instance.ExitStatus;
import io.spew.instance.Instance;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table of instances whose live cells carry {@code data-instance} and {@code data-field}, which
 * {@code panel.js} updates from the API.
 */
final class InstanceRows {
    /** Columns a phone does without. */
    private static final Set<String> WIDE_ONLY = Set.of("host", "runtime", "up");

    private InstanceRows() {}

    /** The names of the hosts by id, to show instead of ids. */
    static Map<String, String> hostNames(List<Host> hosts) {
        Map<String, String> names = new HashMap<>();
        hosts.forEach(host -> names.put(host.id(), host.name()));
        return names;
    }

    static void table(Html html, List<Instance> instances, Map<String, String> hostNames) {
        if (instances.isEmpty()) {
            html.element("p", "No instances.", "class", "empty");
            return;
        }
        html.open("div", "class", "scroll").open("table", "class", "instances", "data-live", "instances");
        html.open("thead").open("tr");
        for (String heading : List.of("name", "appliance", "host", "state", "health", "pid", "restarts", "runtime",
                "up")) {
            html.element("th", heading, "class", WIDE_ONLY.contains(heading) ? "wide" : null);
        }
        html.close("tr").close("thead").open("tbody");
        instances.stream().sorted(Comparator.comparing(instance -> instance.spec().name())).forEach(instance -> {
            html.open("tr", "data-instance", instance.id().value());
            html.open("td").element("a", instance.spec().name(), "href",
                    ROOT + Html.path("instances", instance.id().value())).close("td");
            html.open("td").element("a", instance.spec().appliance(), "href",
                    ROOT + Html.path("appliances", instance.spec().appliance())).close("td");
            html.element("td", hostNames.getOrDefault(instance.host(), instance.host()), "class", "wide");
            state(html, instance);
            html.element("td", instance.health(), "data-field", "health", "class", "health-" + instance.health());
            html.element("td", instance.pid(), "data-field", "pid");
            html.element("td", instance.restarts(), "data-field", "restarts");
            html.element("td", instance.spec().runtime(), "class", "wide");
            html.element("td", PanelLayout.since(instance.startedAt()), "class", "wide");
            html.close("tr");
        });
        html.close("tbody").close("table").close("div");
    }

    static void state(Html html, Instance instance) {
        html.open("td").element("span", instance.state(), "data-field", "state",
                "class", "badge state-" + instance.state()).close("td");
    }

    static String exit(ExitStatus status) {
        if (status == null) {
            return "";
        }
        if (status.code() != null) {
            return "exit code " + status.code();
        }
        return status.signal() == null ? "" : "signal " + status.signal();
    }
}
