package io.spew.impl.appliance;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.impl.appliance.ConfigNode.Entry;
import io.spew.instance.RestartPolicy;
import io.spew.instance.Signal;
import io.spew.instance.StopPolicy;
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads appliances from YAML or JSON (JSON is YAML): one per file with {@code name:}, or one under
 * {@code appliances:} of an environment file. Unknown keys, wrong types and bad values are refused
 * with {@code INVALID_APPLIANCE} and a message that starts with {@code file:line:column:}. Every
 * value keeps where it was written ({@link Appliance#origins()}).
 */
public final class ApplianceParser {
    /** What an appliance name looks like. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    static final Set<String> KEYS = Set.of("name", "runtime", "build", "extends", "command", "env", "workdir", "stop",
            "options", "config", "services", "requires", "restart", "update", "on_change", "constraints");
    private static final Set<String> STOP_KEYS = Set.of("signal", "timeout");
    private static final Set<String> RESTART_KEYS =
            Set.of("policy", "initial", "max", "reset_after", "limit", "within", "on_unhealthy");
    private static final Pattern LIMIT = Pattern.compile("(\\d+)(?:\\s+within\\s+(\\S+))?");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "port", "check");
    private static final Set<String> CHECK_KEYS = Set.of("tcp", "http", "exec", "interval", "timeout", "retries",
            "start_grace", "startGrace");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ApplianceParser() {}

    /** Reads the one appliance of an appliance file. */
    public static ParsedAppliance parse(String source, String content) {
        ConfigNode root = ConfigNode.parse(source, content);
        if (root == null) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE,
                    source + ":1:1: the file is empty: an appliance needs at least 'name'");
        }
        Map<String, Entry> entries = root.entries("an appliance", KEYS);
        Entry name = entries.get("name");
        if (name == null) {
            throw root.error("missing key 'name'");
        }
        return new Reader(name.value().text("'name'"), name.value(), entries).read();
    }

    /**
     * Reads the appliances under {@code appliances:} of an environment file, in file order, or returns
     * null when the text is not one (it has no {@code appliances:}, or has {@code name:}).
     */
    public static List<ParsedAppliance> parseEnvironmentAppliances(String source, String content) {
        ConfigNode root = ConfigNode.parse(source, content);
        if (root == null || !root.isMapping()) {
            return null;
        }
        Map<String, Entry> top = root.entries("a file", null);
        if (top.containsKey("name") || !top.containsKey("appliances")) {
            return null;
        }
        top = root.entries("an environment file", Set.of("include", "appliances", "instances", "environments"));
        if (top.containsKey("include")) {
            throw top.get("include").key().error("'include' is followed by 'spew start' and 'spew plan', not by"
                    + " 'spew appliance apply': apply the included files as well");
        }
        List<ParsedAppliance> appliances = new ArrayList<>();
        if (!top.get("appliances").value().isNull()) {
            top.get("appliances").value().entries("'appliances'", null)
                    .forEach((name, entry) -> appliances.add(parse(entry.key(), entry.value())));
        }
        return appliances;
    }

    /** Reads {@code NAME: { ... }} under {@code appliances:} of an environment file. */
    public static ParsedAppliance parse(ConfigNode name, ConfigNode body) {
        String text = name.text("an appliance name");
        Map<String, Entry> entries = body.isNull() ? Map.of() : body.entries("appliance " + text, KEYS);
        Entry written = entries.get("name");
        if (written != null && !written.value().text("'name'").equals(text)) {
            throw written.value().error("name '" + written.value().text("'name'") + "' differs from the key '" + text
                    + "' it is written under: leave 'name' out");
        }
        return new Reader(text, name, entries).read();
    }

    /** Reads the values of one appliance, noting where each was written and the names its ${...} use. */
    private static final class Reader {
        private final String name;
        private final ConfigNode nameNode;
        private final Map<String, Entry> entries;
        private final Map<String, String> origins = new TreeMap<>();
        private final List<Reference> references = new ArrayList<>();

        Reader(String name, ConfigNode nameNode, Map<String, Entry> entries) {
            this.name = name;
            this.nameNode = nameNode;
            this.entries = entries;
        }

        ParsedAppliance read() {
            if (!NAME.matcher(name).matches()) {
                throw nameNode.error("bad appliance name '" + name
                        + "': use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit");
            }
            Appliance appliance = new Appliance(name, text("runtime"), text("build"), command(), map("env", true),
                    text("workdir"), stop(), map("options", false), map("config", false), nameNode.source(),
                    names("extends"), services(), names("requires"), origins, restart(),
                    UpdatePolicyReader.read(value("update")), ChangePolicyReader.read(value("on_change")),
                    map("constraints", false));
            return new ParsedAppliance(appliance, references);
        }

        private ConfigNode value(String key) {
            Entry entry = entries.get(key);
            if (entry == null || entry.value().isNull()) {
                return null;
            }
            origins.put(key, entry.value().location());
            return entry.value();
        }

        private String text(String key) {
            ConfigNode node = value(key);
            return node == null ? null : rendered(node, "'" + key + "'");
        }

        /** A single value that may hold ${...}: its references are noted. */
        private String rendered(ConfigNode node, String what) {
            String text = node.text(what);
            for (String reference : References.in(text)) {
                references.add(new Reference(reference, node.location()));
            }
            return text;
        }

        /** A list in a runtime's config ({@code ports: ["8080:80", "8443:443"]}) as the runtime reads it: comma-separated. */
        private String joined(ConfigNode node, String what) {
            List<String> items = new ArrayList<>();
            for (ConfigNode element : node.elements(what)) {
                String item = rendered(element, "each element of " + what);
                if (item.contains(",")) {
                    throw element.error("each element of " + what + " is one value, without ',': '" + item + "'");
                }
                items.add(item);
            }
            return String.join(",", items);
        }

        private List<String> command() {
            ConfigNode node = value("command");
            if (node == null) {
                return List.of();
            }
            if (node.isScalar()) {
                return List.of("/bin/sh", "-c", rendered(node, "'command'"));
            }
            if (!node.isSequence()) {
                throw node.error("'command' must be a string or a list of strings, not " + node.kind());
            }
            List<String> command = new ArrayList<>();
            for (ConfigNode element : node.elements("'command'")) {
                command.add(rendered(element, "each element of 'command'"));
            }
            return command;
        }

        private Map<String, String> map(String key, boolean variables) {
            ConfigNode node = value(key);
            if (node == null) {
                return Map.of();
            }
            origins.remove(key);
            Map<String, String> values = new LinkedHashMap<>();
            node.entries("'" + key + "'", null).forEach((entryKey, entry) -> {
                if (variables && !VARIABLE.matcher(entryKey).matches()) {
                    throw entry.key().error("bad variable name '" + entryKey + "' in '" + key + "'");
                }
                if (entry.value().isNull()) {
                    throw entry.value().error("'" + key + "." + entryKey + "' has no value: write \"\" for an empty one");
                }
                values.put(entryKey, key.equals("config") && !entry.value().isScalar()
                        ? joined(entry.value(), "'" + key + "." + entryKey + "'")
                        : rendered(entry.value(), "'" + key + "." + entryKey + "'"));
                origins.put(key + "." + entryKey, entry.value().location());
            });
            return values;
        }

        private List<String> names(String key) {
            ConfigNode node = value(key);
            if (node == null) {
                return List.of();
            }
            List<ConfigNode> elements = node.isScalar() ? List.of(node) : node.elements("'" + key + "'");
            List<String> names = new ArrayList<>();
            for (ConfigNode element : elements) {
                String text = element.text("each element of '" + key + "'");
                if (!NAME.matcher(text).matches()) {
                    throw element.error("'" + key + "' names '" + text + "', which is not an appliance name");
                }
                if (names.contains(text)) {
                    throw element.error("'" + key + "' names '" + text + "' twice");
                }
                names.add(text);
            }
            return names;
        }

        private StopPolicy stop() {
            ConfigNode node = value("stop");
            if (node == null) {
                return StopPolicy.DEFAULT;
            }
            Map<String, Entry> stop = node.entries("'stop'", STOP_KEYS);
            Signal signal = StopPolicy.DEFAULT.signal();
            Duration timeout = StopPolicy.DEFAULT.timeout();
            if (stop.containsKey("signal")) {
                ConfigNode value = stop.get("signal").value();
                try {
                    signal = Signal.parse(value.text("'stop.signal'"));
                } catch (SpewException | IllegalArgumentException e) {
                    throw value.error("stop: " + e.getMessage());
                }
            }
            if (stop.containsKey("timeout")) {
                ConfigNode value = stop.get("timeout").value();
                try {
                    timeout = Durations.parse(value.text("'stop.timeout'"));
                } catch (IllegalArgumentException e) {
                    throw value.error("stop: " + e.getMessage());
                }
            }
            return new StopPolicy(signal, timeout);
        }

        /** {@code restart: on-failure} or {@code restart: { policy: on-failure, initial: 1s, ..., limit: 5 within 10m }}. */
        private RestartPolicy restart() {
            ConfigNode node = value("restart");
            if (node == null) {
                return RestartPolicy.NEVER;
            }
            if (node.isScalar()) {
                return new RestartPolicy(mode(node), null, null, null, 0, null, false);
            }
            Map<String, Entry> restart = node.entries("'restart'", RESTART_KEYS);
            if (!restart.containsKey("policy") && !restart.containsKey("on_unhealthy")) {
                throw node.error("'restart' needs a 'policy': never, on-failure or always");
            }
            // { on_unhealthy: true } alone restarts an unhealthy instance and nothing else
            RestartPolicy.Mode mode = restart.containsKey("policy") ? mode(restart.get("policy").value())
                    : RestartPolicy.Mode.NEVER;
            Duration initial = duration(restart, "initial");
            Duration max = duration(restart, "max");
            Duration resetAfter = duration(restart, "reset_after");
            Duration within = duration(restart, "within");
            int limit = 0;
            if (restart.containsKey("limit")) {
                ConfigNode value = restart.get("limit").value();
                java.util.regex.Matcher matcher = LIMIT.matcher(value.text("'restart.limit'").trim());
                if (!matcher.matches()) {
                    throw value.error("restart: 'limit' must be a count, or 'N within DURATION' (5 within 10m)");
                }
                try {
                    limit = Integer.parseInt(matcher.group(1));
                    if (matcher.group(2) != null) {
                        if (within != null) {
                            throw value.error("restart: the window is given twice ('limit: N within T' and 'within')");
                        }
                        within = Durations.parse(matcher.group(2));
                    }
                } catch (IllegalArgumentException e) {
                    throw value.error("restart: " + e.getMessage());
                }
            }
            boolean onUnhealthy = false;
            if (restart.containsKey("on_unhealthy")) {
                ConfigNode value = restart.get("on_unhealthy").value();
                String text = value.text("'restart.on_unhealthy'").trim();
                if (!text.equals("true") && !text.equals("false")) {
                    throw value.error("restart: 'on_unhealthy' must be true or false, not '" + text + "'");
                }
                onUnhealthy = Boolean.parseBoolean(text);
            }
            try {
                return new RestartPolicy(mode, initial, max, resetAfter, limit, within, onUnhealthy);
            } catch (IllegalArgumentException e) {
                throw node.error("restart: " + e.getMessage());
            }
        }

        private static RestartPolicy.Mode mode(ConfigNode node) {
            try {
                return RestartPolicy.Mode.parse(node.text("'restart.policy'"));
            } catch (IllegalArgumentException e) {
                throw node.error("restart: " + e.getMessage());
            }
        }

        private static Duration duration(Map<String, Entry> entries, String key) {
            Entry entry = entries.get(key);
            if (entry == null || entry.value().isNull()) {
                return null;
            }
            try {
                return Durations.parse(entry.value().text("'restart." + key + "'"));
            } catch (IllegalArgumentException e) {
                throw entry.value().error("restart." + key + ": " + e.getMessage());
            }
        }

        private List<ServiceDefinition> services() {
            ConfigNode node = value("services");
            if (node == null) {
                return List.of();
            }
            List<ServiceDefinition> services = new ArrayList<>();
            for (ConfigNode element : node.elements("'services'")) {
                Map<String, Entry> service = element.entries("a service", SERVICE_KEYS);
                if (!service.containsKey("name") || !service.containsKey("port")) {
                    throw element.error("a service needs 'name' and 'port'");
                }
                ConfigNode serviceName = service.get("name").value();
                String text = serviceName.text("'name' of a service");
                if (!NAME.matcher(text).matches()) {
                    throw serviceName.error("bad service name '" + text + "': use lower-case letters, digits, '-', '_' and '.'");
                }
                String port = rendered(service.get("port").value(), "'port' of service " + text);
                HealthCheck check = null;
                if (service.containsKey("check") && !service.get("check").value().isNull()) {
                    check = check(service.get("check").value(), text);
                }
                services.add(new ServiceDefinition(text, port, check));
            }
            return services;
        }

        /** {@code check: { tcp | http | exec, interval, timeout, retries, start_grace }} of a service. */
        private HealthCheck check(ConfigNode node, String service) {
            Map<String, Entry> check = node.entries("a check", CHECK_KEYS);
            String what = "'check' of service " + service;
            List<String> probes = check.keySet().stream().filter(Set.of("tcp", "http", "exec")::contains).toList();
            if (probes.size() != 1) {
                throw node.error(what + " needs exactly one of tcp, http and exec"
                        + (probes.isEmpty() ? "" : ", not " + String.join(" and ", probes)));
            }
            if (check.containsKey("start_grace") && check.containsKey("startGrace")) {
                throw check.get("startGrace").key().error(what + " has both start_grace and startGrace: keep one");
            }
            Entry grace = check.containsKey("start_grace") ? check.get("start_grace") : check.get("startGrace");
            int retries = 0;
            if (check.containsKey("retries")) {
                ConfigNode value = check.get("retries").value();
                retries = value.count("'check.retries' of service " + service);
                if (retries < 1) {
                    throw value.error("'check.retries' of service " + service + " must be 1 or more");
                }
            }
            try {
                return new HealthCheck(probe(check, "tcp", service), probe(check, "http", service), execCommand(check, service),
                        duration(check.get("interval"), service), duration(check.get("timeout"), service), retries,
                        duration(grace, service));
            } catch (IllegalArgumentException e) {
                throw node.error(what + ": " + e.getMessage());
            }
        }

        private String probe(Map<String, Entry> check, String key, String service) {
            Entry entry = check.get(key);
            if (entry == null) {
                return null;
            }
            if (entry.value().isNull()) {
                throw entry.value().error("'check." + key + "' of service " + service + " has no value");
            }
            return rendered(entry.value(), "'check." + key + "' of service " + service);
        }

        /** {@code exec: [test, -f, /ready]}, or one string run under {@code /bin/sh -c}. */
        private List<String> execCommand(Map<String, Entry> check, String service) {
            Entry entry = check.get("exec");
            if (entry == null) {
                return null;
            }
            ConfigNode node = entry.value();
            String what = "'check.exec' of service " + service;
            if (node.isScalar() && !node.isNull()) {
                return List.of("/bin/sh", "-c", rendered(node, what));
            }
            if (!node.isSequence() || node.elements(what).isEmpty()) {
                throw node.error(what + " must be a command: a string or a list of strings that is not empty");
            }
            List<String> command = new ArrayList<>();
            for (ConfigNode element : node.elements(what)) {
                command.add(rendered(element, "each element of " + what));
            }
            return command;
        }

        private static Duration duration(Entry entry, String service) {
            if (entry == null) {
                return null;
            }
            String key = entry.key().text("a key");
            try {
                Duration duration = Durations.parse(entry.value().text("'check." + key + "' of service " + service));
                if (duration.isZero() && !key.startsWith("start")) {
                    throw new IllegalArgumentException("must be more than 0");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw entry.value().error("'check." + key + "' of service " + service + ": " + e.getMessage());
            }
        }
    }
}
