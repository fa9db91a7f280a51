package io.spew.daemon.panel;

import static io.spew.daemon.panel.PanelLayout.ROOT;

import io.spew.Spew;
import io.spew.environment.DesiredEnvironment;
import io.spew.host.Host;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The dashboard: hosts, environments, instances by state and health, recent events. */
final class DashboardPage {
    private DashboardPage() {}

    static String render(Spew spew, String csrfToken) {
        List<Host> hosts = spew.hosts().list();
        List<DesiredEnvironment> environments = spew.environments().list();
        List<Instance> instances = spew.instances().list();
        return PanelLayout.page("Dashboard", csrfToken, html -> {
            summary(html, instances);
            html.open("section").element("h2", "Instances");
            html.open("div", "class", "actions");
            PanelLayout.button(html, ROOT + "/restart-failed", "restart failed", csrfToken, "warn");
            html.close("div");
            InstanceRows.table(html, instances, InstanceRows.hostNames(hosts));
            html.close("section");
            html.open("div", "class", "columns");
            hosts(html, hosts);
            environments(html, environments, instances);
            html.close("div");
            PanelLayout.rolls(html, null);
            html.open("section").element("h2", "Recent events")
                    .open("ol", "id", "events", "class", "events", "data-live", "events")
                    .element("li", "Waiting for changes…", "class", "empty").close("ol").close("section");
        });
    }

    private static void summary(Html html, List<Instance> instances) {
        Map<String, Long> byState = count(instances, instance -> instance.state().toString());
        Map<String, Long> byHealth = count(instances, Instance::health);
        html.open("section", "class", "summary");
        html.open("div", "class", "card").element("div", instances.size(), "class", "number")
                .element("div", "instances", "class", "label").close("div");
        for (InstanceState state : InstanceState.values()) {
            long count = byState.getOrDefault(state.toString(), 0L);
            if (count > 0 || state == InstanceState.RUNNING) {
                html.open("div", "class", "card state-" + state).element("div", count, "class", "number")
                        .element("div", state, "class", "label").close("div");
            }
        }
        byHealth.forEach((health, count) -> html.open("div", "class", "card health-" + health)
                .element("div", count, "class", "number").element("div", "health " + health, "class", "label")
                .close("div"));
        html.close("section");
    }

    private static void hosts(Html html, List<Host> hosts) {
        html.open("section").element("h2", "Hosts").open("table").open("thead").open("tr");
        for (String heading : List.of("name", "state", "runtimes", "cores", "memory")) {
            html.element("th", heading);
        }
        html.close("tr").close("thead").open("tbody");
        for (Host host : hosts) {
            html.open("tr").open("td").element("a", host.name() + (host.local() ? " (this one)" : ""),
                    "href", ROOT + Html.path("hosts", host.id())).close("td");
            html.open("td").element("span", host.state(), "class", "badge host-" + host.state()).close("td");
            html.element("td", String.join(", ", host.runtimes()));
            html.element("td", host.cores());
            html.element("td", PanelLayout.bytes(host.memoryBytes()));
            html.close("tr");
        }
        html.close("tbody").close("table").close("section");
    }

    private static void environments(Html html, List<DesiredEnvironment> environments, List<Instance> instances) {
        html.open("section").element("h2", "Environments");
        if (environments.isEmpty()) {
            html.element("p", "No environment started (spew start).", "class", "empty").close("section");
            return;
        }
        Map<String, Long> running = count(instances.stream()
                .filter(instance -> instance.state() == InstanceState.RUNNING).collect(Collectors.toList()),
                instance -> instance.spec().appliance());
        html.open("table").open("thead").open("tr");
        for (String heading : List.of("environment", "appliance", "desired", "running")) {
            html.element("th", heading);
        }
        html.close("tr").close("thead").open("tbody");
        for (DesiredEnvironment environment : environments) {
            environment.counts().forEach((appliance, desired) -> {
                long up = running.getOrDefault(appliance, 0L);
                html.open("tr").element("td", environment.environment(), "title", environment.file());
                html.open("td").element("a", appliance, "href", ROOT + Html.path("appliances", appliance)).close("td");
                html.element("td", desired);
                html.element("td", up, "class", up < desired ? "short" : "ok");
                html.close("tr");
            });
        }
        html.close("tbody").close("table").close("section");
    }

    private static Map<String, Long> count(List<Instance> instances, Function<Instance, String> key) {
        return instances.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }
}
