package io.spew.impl.template;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * The values {@code ${...}} may name for one instance: {@code instance.name}, {@code instance.index},
 * {@code instance.id}, {@code host.name}, {@code host.ip}, {@code env.NAME} (the engine's own
 * environment), {@code service.NAME.addresses} (empty when no instance offers it yet) and the
 * appliance's options by their bare names; {@code instance.files} is the directory its template
 * files are rendered into (null: not known, as while the port of a service is rendered).
 */
public record TemplateValues(
        String instanceName,
        int instanceIndex,
        String instanceId,
        String hostName,
        String hostIp,
        Map<String, String> environment,
        Map<String, String> options,
        Map<String, String> services,
        String files) {
    public TemplateValues {
        requireNonNull(instanceName, "instanceName is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(hostName, "hostName is null");
        requireNonNull(hostIp, "hostIp is null");
        environment = Map.copyOf(environment);
        options = new TreeMap<>(options);
        services = new TreeMap<>(services);
    }

    /** The value of a name, or null when it has none. */
    String lookup(String name) {
        return switch (name) {
            case "instance.name" -> instanceName;
            case "instance.index" -> Integer.toString(instanceIndex);
            case "instance.id" -> instanceId;
            case "instance.files" -> files;
            case "host.name" -> hostName;
            case "host.ip" -> hostIp;
            default -> {
                if (name.startsWith("env.")) {
                    yield environment.get(name.substring("env.".length()));
                }
                String service = serviceOf(name);
                if (service != null) {
                    yield services.getOrDefault(service, "");
                }
                yield options.get(name);
            }
        };
    }

    /** The service {@code NAME} of {@code service.NAME.addresses}, or null for any other name. */
    static String serviceOf(String name) {
        String prefix = "service.";
        String suffix = ".addresses";
        return name.startsWith(prefix) && name.endsWith(suffix) && name.length() >= prefix.length() + suffix.length()
                ? name.substring(prefix.length(), name.length() - suffix.length()) : null;
    }
}
