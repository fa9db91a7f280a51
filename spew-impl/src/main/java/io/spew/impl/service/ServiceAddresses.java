package io.spew.impl.service;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.impl.appliance.ApplianceResolver;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.host.HostFacts;
import io.spew.impl.template.TemplateRenderer;
import io.spew.impl.template.TemplateValues;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.service.Service;
import io.spew.service.ServiceDefinition;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the catalog from a list of instances: a service's addresses are {@code host.ip:port} of
 * each running instance whose appliance offers it and, when the service has a check, passes it
 * ({@code tcp}: the port accepts a connection). It holds no instances itself, so that the
 * instances may use it while they are made.
 */
@Singleton
public final class ServiceAddresses {
    private static final int CONNECT_TIMEOUT_MILLIS = 300;

    private final ApplianceStore appliances;
    private final HostFacts host;

    @Inject
    public ServiceAddresses(ApplianceStore appliances, HostFacts host) {
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.host = requireNonNull(host, "host is null");
    }

    /** Every service some applied appliance declares, sorted by name. */
    public List<Service> catalog(List<Instance> instances) {
        ApplianceResolver resolver = appliances.resolver(Map.of());
        Map<String, TreeMap<String, String>> byService = new TreeMap<>();
        for (Appliance appliance : appliances.list()) {
            for (ServiceDefinition service : resolved(resolver, appliance.name()).services()) {
                byService.computeIfAbsent(service.name(), name -> new TreeMap<>());
            }
        }
        for (Instance instance : instances) {
            if (instance.state() != InstanceState.RUNNING) {
                continue;
            }
            Appliance appliance = resolved(resolver, instance.appliance());
            for (ServiceDefinition service : appliance.services()) {
                if (passes(instance, appliance, service)) {
                    byService.computeIfAbsent(service.name(), name -> new TreeMap<>())
                            .put(instance.name(), host.ip() + ":" + render(instance, appliance, service.port()));
                }
            }
        }
        List<Service> catalog = new ArrayList<>();
        byService.forEach((name, members) -> catalog.add(new Service(name,
                List.copyOf(new TreeSet<>(members.values())), List.copyOf(members.keySet()))));
        return catalog;
    }

    /** {@code service name → "ip:port,ip:port"}, for {@code ${service.NAME.addresses}}. */
    public Map<String, String> addresses(List<Instance> instances) {
        Map<String, String> addresses = new TreeMap<>();
        for (Service service : catalog(instances)) {
            addresses.put(service.name(), String.join(",", service.addresses()));
        }
        return addresses;
    }

    /** The environment variable that holds a service's addresses: {@code SPEW_SERVICE_<NAME>_ADDRS}. */
    public static String variable(String service) {
        return "SPEW_SERVICE_" + service.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_ADDRS";
    }

    /** The services the (resolved) appliance of a name offers; none when it does not resolve. */
    public List<ServiceDefinition> offeredBy(String appliance) {
        return resolved(appliances.resolver(Map.of()), appliance).services();
    }

    /** Whether an instance runs and passes the checks of every service its appliance offers. */
    public boolean healthy(Instance instance) {
        if (instance.state() != InstanceState.RUNNING) {
            return false;
        }
        Appliance appliance = resolved(appliances.resolver(Map.of()), instance.appliance());
        return appliance.services().stream().allMatch(service -> passes(instance, appliance, service));
    }

    private boolean passes(Instance instance, Appliance appliance, ServiceDefinition service) {
        if (service.check() == null || service.check().tcp() == null) {
            return true;
        }
        try (Socket socket = new Socket()) {
            int port = Integer.parseInt(render(instance, appliance, service.check().tcp()).trim());
            socket.connect(new InetSocketAddress(host.ip(), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private String render(Instance instance, Appliance appliance, String text) {
        TemplateValues values = new TemplateValues(instance.name(), instance.spec().index(), instance.id().value(),
                host.name(), host.ip(), System.getenv(), appliance.options(), Map.of(), null);
        return new TemplateRenderer("appliance " + appliance.name(), values).render(text);
    }

    private static Appliance resolved(ApplianceResolver resolver, String name) {
        try {
            return resolver.resolve(name).appliance();
        } catch (SpewException e) {
            return new Appliance(name, null, null, null, null, null, null, null, null, null);
        }
    }
}
