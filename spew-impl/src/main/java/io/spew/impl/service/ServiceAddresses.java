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
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Computes the catalog from this host's instances (given) and those the other hosts of a cluster reported
 * ({@link ReportedInstances}): a service's addresses are {@code ip:port} of each running instance (the
 * instance's own address with {@code network: private}, else the address of the host it runs on) whose
 * appliance offers it and, when the service has a check, that the health monitor of its host found healthy
 * ({@link Instance#health()}); nothing is probed here. It holds no instances of this host itself, so that
 * they may use it while they are made.
 */
@Singleton
public final class ServiceAddresses {
    private final ApplianceStore appliances;
    private final HostFacts host;
    private final ReportedInstances reported;

    @Inject
    public ServiceAddresses(ApplianceStore appliances, HostFacts host, ReportedInstances reported) {
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.host = requireNonNull(host, "host is null");
        this.reported = requireNonNull(reported, "reported is null");
    }

    /** This host's instances ({@code local}), then those the other hosts reported. */
    public List<Instance> everyHost(Supplier<List<Instance>> local) {
        List<Instance> others = reported.others();
        if (others.isEmpty()) {
            return local.get();
        }
        List<Instance> all = new ArrayList<>(local.get());
        all.addAll(others);
        return all;
    }

    /**
     * Where an instance is reached: its own address with {@code network: private}, else the address of the
     * host it runs on; empty for another host's instance whose address the cluster does not know.
     */
    public Optional<String> address(Instance instance) {
        if (instance.host().equals(host.id())) {
            return Optional.of(InstanceAddresses.of(instance.spec(), host.ip()));
        }
        String own = InstanceAddresses.of(instance.spec(), null);
        return own != null ? Optional.of(own) : reported.hostAddress(instance.host());
    }

    /** Every service some applied appliance declares, sorted by name. */
    public List<Service> catalog(List<Instance> instances) {
        return catalog(() -> instances);
    }

    /** As {@link #catalog(List)}, asking for the instances only when some appliance offers a service. */
    public List<Service> catalog(Supplier<List<Instance>> instances) {
        List<Service> catalog = new ArrayList<>();
        members(instances).forEach((name, members) -> catalog.add(new Service(name,
                List.copyOf(new TreeSet<>(members.values())), List.copyOf(members.keySet()))));
        return catalog;
    }

    /**
     * Every service some applied appliance declares, sorted by name, with the name and {@code ip:port}
     * of each instance of any host that offers it (sorted by instance name); this host's instances are
     * asked for only when some appliance applied here offers a service.
     */
    public Map<String, SortedMap<String, String>> members(Supplier<List<Instance>> instances) {
        ApplianceResolver resolver = appliances.resolver(Map.of());
        Map<String, SortedMap<String, String>> byService = new TreeMap<>();
        for (Appliance appliance : appliances.list()) {
            for (ServiceDefinition service : resolved(resolver, appliance.name()).services()) {
                byService.computeIfAbsent(service.name(), name -> new TreeMap<>());
            }
        }
        // no appliance here offers a service: no need to look at this host's 10,000 instances, only at the
        // other hosts' (whose appliances may)
        List<Instance> all = byService.isEmpty() ? reported.others() : everyHost(instances);
        for (Instance instance : all) {
            Optional<String> address = address(instance);
            if (instance.state() != InstanceState.RUNNING || address.isEmpty()) {
                continue;
            }
            for (ServiceDefinition service : offered(instance, resolver)) {
                if (passes(instance, service)) {
                    byService.computeIfAbsent(service.name(), name -> new TreeMap<>())
                            .put(instance.name(), address.get() + ":" + service.port());
                }
            }
        }
        return byService;
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
     * The services of an instance that have a check, with their port and check rendered for that
     * instance; none when its appliance no longer resolves.
     */
    public List<ServiceDefinition> checkedServices(Instance instance) {
        return offered(instance, appliances.resolver(Map.of())).stream().filter(service -> service.check() != null)
                .toList();
    }

    /**
     * The services an instance offers, rendered for it: as its spec keeps them, or for an instance made
     * before specs kept them, its appliance's as applied now, rendered with the appliance's options.
     */
    private List<ServiceDefinition> offered(Instance instance, ApplianceResolver resolver) {
        if (!instance.spec().services().isEmpty()) {
            return instance.spec().services();
        }
        Appliance appliance = resolved(resolver, instance.appliance());
        return appliance.services().stream().map(service -> rendered(service, text -> render(instance, appliance, text)))
                .toList();
    }

    /** A service with its port and check rendered. */
    public static ServiceDefinition rendered(ServiceDefinition service, UnaryOperator<String> render) {
        HealthCheck check = service.check();
        return new ServiceDefinition(service.name(), render.apply(service.port()), check == null ? null
                : new HealthCheck(render.apply(check.tcp()), render.apply(check.http()),
                        check.exec() == null ? null : check.exec().stream().map(render).toList(),
                        check.interval(), check.timeout(), check.retries(), check.startGrace()));
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
