package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.build.Build;
import io.spew.build.BuildId;
import io.spew.impl.build.BuildStore;
import io.spew.impl.host.HostFacts;
import io.spew.impl.network.AddressLeases;
import io.spew.impl.network.InstanceAddress;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.impl.service.ServiceAddresses;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.template.TemplateFiles;
import io.spew.impl.template.TemplateRenderer;
import io.spew.impl.template.TemplateValues;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Turns an appliance and a run's settings into the rendered spec of one instance. */
@Singleton
public final class SpecResolver {
    /** The runtime whose instances have a writable layer over their build (DESIGN.md: instances/<id>/upper). */
    static final String LAYERED_RUNTIME = "nspawn";
    /** Where template files go: the writable layer of a layered instance, else its own directory. */
    static final String UPPER = "upper";
    static final String FILES = "files";
    /** The runtime config key asking for an instance network, and its value for an address of its own. */
    static final String NETWORK = "network";
    static final String NETWORK_PRIVATE = "private";
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /**
     * The engine's environment ({@code ${env.NAME}}), copied once: a process's environment does not
     * change, and an immutable copy is not copied again for each instance's {@link TemplateValues}.
     */
    private static final Map<String, String> ENVIRONMENT = Map.copyOf(System.getenv());

    private final HostFacts host;
    private final RuntimeRegistry runtimes;
    private final ApplianceStore appliances;
    private final BuildStore builds;
    private final AddressLeases addresses;
    /** The template files of each build: builds do not change, so each is looked for once. */
    private final Map<BuildId, List<Path>> buildTemplates = new ConcurrentHashMap<>();

    @Inject
    public SpecResolver(HostFacts host, RuntimeRegistry runtimes, BuildStore builds, ApplianceStore appliances,
            AddressLeases addresses) {
        this.addresses = requireNonNull(addresses, "addresses is null");
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.host = requireNonNull(host, "host is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.builds = requireNonNull(builds, "builds is null");
    }

    /**
     * Makes the spec of a new instance and renders its template files.
     *
     * @param services the addresses of each service ({@code ${service.NAME.addresses}}), also given to the
     *     instance as {@code SPEW_SERVICE_<NAME>_ADDRS}
     * @param files the directory the appliance's template files are rendered into ({@code ${instance.files}},
     *     {@code SPEW_FILES})
     * @return the spec, and what the instance is made from when it uses a service (else null)
     */
    Resolved resolve(Appliance appliance, String name, int index, InstanceId id, Map<String, String> settings,
            Map<String, String> services, Path files) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(appliance.options().keySet());
        if (!unknown.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "appliance " + appliance.name() + " has no option "
                    + String.join(", ", unknown) + " (options: " + String.join(", ", appliance.options().keySet())
                    + "): declare it under 'options:'");
        }
        String runtime = runtimes.choose(appliance.runtime());
        Path target = runtime.equals(LAYERED_RUNTIME) ? files.resolveSibling(UPPER) : files;
        try {
            return render(new Making(appliance, name, index, id, settings, runtime, null), services, files, target);
        } catch (RuntimeException e) {
            addresses.release(id);
            throw e;
        }
    }

    /**
     * Renders an instance again from what it was made from, with the services as they are now: its
     * spec, and its template files into {@code target} (its writable layer, or the root of its running
     * container). Its runtime, build and address stay.
     */
    InstanceSpec rerender(Instance instance, ServiceUse use, Map<String, String> services, Path files, Path target) {
        InstanceSpec spec = instance.spec();
        return render(new Making(use.appliance(), spec.name(), spec.index(), instance.id(), use.settings(),
                spec.runtime(), spec.build()), services, files, target).spec();
    }

    /** What an instance is made from; {@code build} is the id it keeps, or null to resolve the appliance's. */
    private record Making(Appliance appliance, String name, int index, InstanceId id, Map<String, String> settings,
            String runtime, String build) {}

    private Resolved render(Making making, Map<String, String> services, Path files, Path target) {
        Appliance appliance = making.appliance();
        Map<String, String> options = new TreeMap<>(appliance.options());
        options.putAll(making.settings());
        // A container sees its template files where its build has them: they are rendered into its
        // writable layer (the nspawn runtime's overlay upper directory); a process on the host, in files/.
        boolean layered = making.runtime().equals(LAYERED_RUNTIME);
        Set<String> used = new TreeSet<>();
        TemplateRenderer renderer = new TemplateRenderer("appliance " + appliance.name(),
                new TemplateValues(making.name(), making.index(), making.id().value(), host.name(), host.ip(),
                        ENVIRONMENT, options, services, layered ? "/" : files.toString()),
                service -> used.add(ServiceAddresses.variable(service)));
        String buildRef = making.build() != null ? making.build()
                : appliance.build() == null ? null : renderer.render(appliance.build());
        Build build = buildRef == null ? null : builds.get(buildRef);
        Path rootfs = build == null ? null : builds.rootfs(build);
        List<Path> fromBuild = build == null ? List.of()
                : buildTemplates.computeIfAbsent(build.id(), buildId -> TemplateFiles.find(rootfs));
        Path templates = appliances.templates(appliance.name());
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("SPEW_INSTANCE_ID", making.id().value());
        env.put("SPEW_INSTANCE_NAME", making.name());
        env.put("SPEW_INSTANCE_INDEX", Integer.toString(making.index()));
        env.put("SPEW_APPLIANCE", appliance.name());
        services.forEach((service, addresses) -> env.put(ServiceAddresses.variable(service), addresses));
        if (!fromBuild.isEmpty() || templates.toFile().isDirectory()) { // no exception thrown when it is missing
            env.put("SPEW_FILES", layered ? "/" : files.toString());
        }
        env.putAll(renderer.render(appliance.env()));
        Map<String, String> config = new TreeMap<>(renderer.render(appliance.config()));
        if (NETWORK_PRIVATE.equals(config.get(NETWORK))) {
            // An address of this host's slice, held until the instance is removed.
            InstanceAddress address = addresses.lease(making.id());
            config.put("address", address.cidr());
            config.put("gateway", address.gateway());
            env.put("SPEW_INSTANCE_ADDRESS", address.address());
        }
        List<String> command = renderer.render(appliance.command());
        InstanceSpec spec = new InstanceSpec(making.name(), appliance.name(), making.index(), making.runtime(),
                build == null ? null : build.id().toString(), command, env, renderer.render(appliance.workdir()),
                appliance.stop(), config, appliance.restart(), appliance.services().stream()
                        .map(service -> ServiceAddresses.rendered(service, renderer::render)).toList());
        // the build's templates first: those next to the environment file may override them
        TemplateFiles.render(rootfs, fromBuild, target, renderer);
        TemplateFiles.render(templates, target, renderer);
        used.addAll(ServiceUse.variablesIn(appliance));
        return new Resolved(spec, used.isEmpty() ? null
                : new ServiceUse(appliance, new TreeMap<>(making.settings()), List.copyOf(used)));
    }

    /** A new instance's spec, and what it was made from when it uses a service (else null). */
    record Resolved(InstanceSpec spec, ServiceUse use) {}
}
