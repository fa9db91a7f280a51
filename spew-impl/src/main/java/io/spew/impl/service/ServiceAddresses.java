package io.spew.impl.service;

import static java.util.Objects.requireNonNull;

import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.impl.appliance.ApplianceResolver;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.host.HostFacts;
import io.spew.impl.network.InstanceAddresses;
import io.spew.impl.template.TemplateRenderer;
import io.spew.impl.template.TemplateValues;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.service.Service;
import io.spew.service.ServiceDefinition;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import io.spew.service.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Computes the catalog from a list of instances: a service's addresses are {@code ip:port} of each
 * running instance (the instance's own address with {@code network: private}, else the host's) whose appliance offers it and, when the service has a check, that the health
 * monitor found healthy ({@link Instance#health()}); nothing is probed here. It holds no instances
 * itself, so that the instances may use it while they are made.
 */
@Singleton
public final class ServiceAddresses {
    private final ApplianceStore appliances;
    private final HostFacts host;

    @Inject
    public ServiceAddresses(ApplianceStore appliances, HostFacts host) {
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.host = requireNonNull(host, "host is null");
    }

    /** Every service some applied appliance declares, sorted by name. */
    public List<Service> catalog(List<Instance> instances) {
        return catalog(() -> instances);
    }

    /** As {@link #catalog(List)}, asking for the instances only when some appliance offers a service. */
    public List<Service> catalog(Supplier<List<Instance>> instances) {
        ApplianceResolver resolver = appliances.resolver(Map.of());
        Map<String, TreeMap<String, String>> byService = new TreeMap<>();
        for (Appliance appliance : appliances.list()) {
            for (ServiceDefinition service : resolved(resolver, appliance.name()).services()) {
                byService.computeIfAbsent(service.name(), name -> new TreeMap<>());
            }
        }
        if (byService.isEmpty()) {
            return List.of(); // no appliance offers a service: no need to look at 10,000 instances
        }
        for (Instance instance : instances.get()) {
            if (instance.state() != InstanceState.RUNNING) {
                continue;
            }
            Appliance appliance = resolved(resolver, instance.appliance());
            for (ServiceDefinition service : appliance.services()) {
                if (passes(instance, service)) {
                    byService.computeIfAbsent(service.name(), name -> new TreeMap<>())
                            .put(instance.name(), InstanceAddresses.of(instance.spec(), host.ip()) + ":"
                                    + render(instance, appliance, service.port()));
                }
            }
        }
        List<Service> catalog = new ArrayList<>();
        byService.forEach((name, members) -> catalog.add(new Service(name,
                List.copyOf(new TreeSet<>(members.values())), List.copyOf(members.keySet()))));
        return catalog;
    }

    /** {@code service name → "ip:port,ip:port"}, for {@code ${service.NAME.addresses}}. */
    public Map<String, String> addresses(Supplier<List<Instance>> instances) {
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

    /**
     * Whether an instance runs and its health checks found it healthy; one whose appliance has no check
     * ({@code none}) is healthy when it runs.
     */
    public boolean healthy(Instance instance) {
        return instance.state() == InstanceState.RUNNING
                && (instance.health().equals(HealthCheck.HEALTHY) || instance.health().equals(HealthCheck.NONE));
    }

    /**
     * The services of an instance's appliance that have a check, with their port and check rendered for
     * that instance; none when the appliance no longer resolves.
     */
    public List<ServiceDefinition> checkedServices(Instance instance) {
        Appliance appliance = resolved(appliances.resolver(Map.of()), instance.appliance());
        List<ServiceDefinition> checked = new ArrayList<>();
        for (ServiceDefinition service : appliance.services()) {
            HealthCheck check = service.check();
            if (check != null) {
                HealthCheck rendered = new HealthCheck(render(instance, appliance, check.tcp()),
                        render(instance, appliance, check.http()),
                        check.exec() == null ? null : check.exec().stream().map(text -> render(instance, appliance, text)).toList(),
                        check.interval(), check.timeout(), check.retries(), check.startGrace());
                checked.add(new ServiceDefinition(service.name(), render(instance, appliance, service.port()), rendered));
            }
        }
        return checked;
    }

    private boolean passes(Instance instance, ServiceDefinition service) {
        return service.check() == null || healthy(instance);
    }

    private String render(Instance instance, Appliance appliance, String text) {
        if (text == null) {
            return null;
        }
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
