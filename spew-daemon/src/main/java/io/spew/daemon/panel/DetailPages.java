package io.spew.daemon.panel;

import static io.spew.daemon.panel.PanelLayout.ROOT;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.ExplainedValue;
import io.spew.build.Build;
import io.spew.host.Host;
import io.spew.instance.Instance;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The pages of one instance, appliance, build or host. */
final class DetailPages {
    private DetailPages() {}

    static String instance(Spew spew, String ref, String csrfToken) {
        Instance instance = spew.instances().get(ref);
        String id = instance.id().value();
        return PanelLayout.page("Instance " + instance.spec().name(), csrfToken, html -> {
            html.open("div", "class", "actions", "data-instance", id);
            for (String action : List.of("restart", "stop", "start", "kill")) {
                PanelLayout.button(html, ROOT + Html.path("instances", id, action), action, csrfToken,
                        action.equals("kill") ? "danger" : "");
            }
            html.close("div");
            html.open("dl", "class", "facts", "data-instance", id);
            fact(html, "state", null);
            html.open("dd").element("span", instance.state(), "data-field", "state",
                    "class", "badge state-" + instance.state()).close("dd");
            fact(html, "health", instance.health(), "health");
            fact(html, "pid", instance.pid(), "pid");
            fact(html, "restarts", instance.restarts(), "restarts");
            fact(html, "exit status", InstanceRows.exit(instance.exitStatus()), "exit");
            fact(html, "message", instance.message(), "message");
            fact(html, "id", id, null);
            html.element("dt", "appliance").open("dd").element("a", instance.spec().appliance(), "href",
                    ROOT + Html.path("appliances", instance.spec().appliance())).close("dd");
            html.element("dt", "host").open("dd").element("a", InstanceRows.hostNames(spew.hosts().list())
                    .getOrDefault(instance.host(), instance.host()), "href", ROOT + Html.path("hosts", instance.host()))
                    .close("dd");
            fact(html, "runtime", instance.spec().runtime(), null);
            html.element("dt", "build").open("dd");
            if (instance.spec().build() == null) {
                html.text("none");
            } else {
                html.element("a", instance.spec().build(), "href", ROOT + Html.path("builds", instance.spec().build()));
            }
            html.close("dd");
            fact(html, "command", String.join(" ", instance.spec().command()), null);
            fact(html, "created", PanelLayout.time(instance.createdAt()), null);
            fact(html, "started", PanelLayout.time(instance.startedAt()), null);
            fact(html, "finished", PanelLayout.time(instance.finishedAt()), null);
            html.close("dl");
            html.open("section").element("h2", "Log");
            html.open("pre", "class", "log", "id", "log", "data-log",
                    ROOT + "/api/v1" + Html.path("instances", id, "logs") + "?stream=stdout&follow=true&tail=200")
                    .close("pre");
            html.close("section");
            html.open("section").element("h2", "Environment");
            pairs(html, instance.spec().env());
            html.close("section");
        });
    }

    static String appliance(Spew spew, String name, String csrfToken) {
        Appliance appliance = spew.appliances().get(name);
        List<ExplainedValue> explained = spew.appliances().explain(name);
        List<Instance> instances = spew.instances().list().stream()
                .filter(instance -> instance.spec().appliance().equals(appliance.name()))
                .collect(Collectors.toList());
        return PanelLayout.page("Appliance " + appliance.name(), csrfToken, html -> {
            html.open("div", "class", "actions");
            PanelLayout.button(html, ROOT + Html.path("appliances", appliance.name(), "restart"),
                    "restart all (rolling)", csrfToken, "warn");
            html.close("div");
            html.open("section").element("h2", "Instances");
            InstanceRows.table(html, instances, InstanceRows.hostNames(spew.hosts().list()));
            html.close("section");
            PanelLayout.rolls(html, appliance.name());
            html.open("section").element("h2", "Resolved values (--explain)");
            html.open("div", "class", "scroll").open("table").open("thead").open("tr");
            for (String heading : List.of("key", "value", "set by", "where")) {
                html.element("th", heading);
            }
            html.close("tr").close("thead").open("tbody");
            for (ExplainedValue value : explained) {
                html.open("tr").element("td", value.key()).open("td").element("code", value.value()).close("td")
                        .element("td", value.appliance()).element("td", value.location()).close("tr");
            }
            html.close("tbody").close("table").close("div").close("section");
        });
    }

    static String build(Spew spew, String ref, String csrfToken) {
        Build build = spew.builds().get(ref);
        String id = build.id().toString();
        List<Instance> users = spew.instances().list().stream()
                .filter(instance -> id.equals(instance.spec().build())).collect(Collectors.toList());
        return PanelLayout.page("Build " + build.name() + "@" + build.version(), csrfToken, html -> {
            html.open("dl", "class", "facts");
            fact(html, "id", id, null);
            fact(html, "entry point", build.entryPoint(), null);
            if (build.signer() == null) {
                fact(html, "signer", "unsigned (imported with --allow-unsigned)", null);
            } else {
                fact(html, "signer", build.signer().userId(), null);
                fact(html, "fingerprint", build.signer().fingerprint(), null);
                fact(html, "signed at", PanelLayout.time(build.signer().signedAt()), null);
            }
            fact(html, "imported at", PanelLayout.time(build.importedAt()), null);
            fact(html, "archive", PanelLayout.bytes(build.archiveBytes()), null);
            fact(html, "unpacked", PanelLayout.bytes(build.unpackedBytes()), null);
            fact(html, "entries", build.entries(), null);
            html.close("dl");
            html.open("section").element("h2", "Metadata");
            pairs(html, build.metadata());
            html.close("section");
            html.open("section").element("h2", "Instances using it");
            InstanceRows.table(html, users, InstanceRows.hostNames(spew.hosts().list()));
            html.close("section");
        });
    }

    static String host(Spew spew, String ref, String csrfToken) {
        Host host = spew.hosts().list().stream().filter(one -> one.id().equals(ref) || one.name().equals(ref))
                .findFirst().orElseThrow(() -> new SpewException(ErrorCode.HOST_NOT_FOUND, "no host '" + ref
                        + "': see the hosts on the dashboard"));
        List<Instance> instances = spew.instances().list().stream()
                .filter(instance -> instance.host().equals(host.id()) || instance.host().equals(host.name()))
                .collect(Collectors.toList());
        return PanelLayout.page("Host " + host.name(), csrfToken, html -> {
            html.open("dl", "class", "facts");
            fact(html, "id", host.id(), null);
            fact(html, "state", host.state(), null);
            fact(html, "address", host.address(), null);
            fact(html, "this host", host.local() ? "yes" : "no", null);
            fact(html, "runtimes", String.join(", ", host.runtimes()), null);
            fact(html, "cores", host.cores(), null);
            fact(html, "memory", PanelLayout.bytes(host.memoryBytes()), null);
            html.close("dl");
            html.open("section").element("h2", "Labels");
            pairs(html, host.labels());
            html.close("section");
            html.open("section").element("h2", "Instances");
            InstanceRows.table(html, instances, InstanceRows.hostNames(spew.hosts().list()));
            html.close("section");
        });
    }

    private static void fact(Html html, String name, Object value, String field) {
        html.element("dt", name);
        if (field != null || value != null) {
            html.element("dd", value, "data-field", field);
        }
    }

    private static void fact(Html html, String name, Object value) {
        fact(html, name, value, null);
    }

    private static void pairs(Html html, Map<String, String> values) {
        if (values.isEmpty()) {
            html.element("p", "None.", "class", "empty");
            return;
        }
        html.open("div", "class", "scroll").open("table", "class", "pairs").open("tbody");
        values.forEach((key, value) -> html.open("tr").element("th", key).open("td").element("code", value)
                .close("td").close("tr"));
        html.close("tbody").close("table").close("div");
    }
}
