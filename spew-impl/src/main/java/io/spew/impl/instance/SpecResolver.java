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
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
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
    private static final String LAYERED_RUNTIME = "nspawn";
    /** The runtime config key asking for an instance network, and its value for an address of its own. */
    static final String NETWORK = "network";
    static final String NETWORK_PRIVATE = "private";
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
     * @param services the addresses of each service ({@code ${service.NAME.addresses}}), also given to the
     *     instance as {@code SPEW_SERVICE_<NAME>_ADDRS}
     * @param files the directory the appliance's template files are rendered into ({@code ${instance.files}},
     *     {@code SPEW_FILES})
     */
    InstanceSpec resolve(Appliance appliance, String name, int index, InstanceId id, Map<String, String> settings,
            Map<String, String> services, Path files) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(appliance.options().keySet());
        if (!unknown.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "appliance " + appliance.name() + " has no option "
                    + String.join(", ", unknown) + " (options: " + String.join(", ", appliance.options().keySet())
                    + "): declare it under 'options:'");
        }
        Map<String, String> options = new TreeMap<>(appliance.options());
        options.putAll(settings);
        String runtime = runtimes.choose(appliance.runtime());
        // A container sees its template files where its build has them: they are rendered into its
        // writable layer (the nspawn runtime's overlay upper directory); a process on the host, in files/.
        boolean layered = runtime.equals(LAYERED_RUNTIME);
        Path target = layered ? files.resolveSibling("upper") : files;
        TemplateRenderer renderer = new TemplateRenderer("appliance " + appliance.name(),
                new TemplateValues(name, index, id.value(), host.name(), host.ip(), System.getenv(), options,
                        services, layered ? "/" : files.toString()));
        Build build = appliance.build() == null ? null : builds.get(renderer.render(appliance.build()));
        Path rootfs = build == null ? null : builds.rootfs(build);
        List<Path> fromBuild = build == null ? List.of()
                : buildTemplates.computeIfAbsent(build.id(), buildId -> TemplateFiles.find(rootfs));
        Path templates = appliances.templates(appliance.name());
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("SPEW_INSTANCE_ID", id.value());
        env.put("SPEW_INSTANCE_NAME", name);
        env.put("SPEW_INSTANCE_INDEX", Integer.toString(index));
        env.put("SPEW_APPLIANCE", appliance.name());
        services.forEach((service, addresses) -> env.put(ServiceAddresses.variable(service), addresses));
        if (!fromBuild.isEmpty() || Files.isDirectory(templates)) {
            env.put("SPEW_FILES", layered ? "/" : files.toString());
        }
        env.putAll(renderer.render(appliance.env()));
        Map<String, String> config = new TreeMap<>(renderer.render(appliance.config()));
        if (NETWORK_PRIVATE.equals(config.get(NETWORK))) {
            // An address of this host's slice, held until the instance is removed.
            InstanceAddress address = addresses.lease(id);
            config.put("address", address.cidr());
            config.put("gateway", address.gateway());
            env.put("SPEW_INSTANCE_ADDRESS", address.address());
        }
        InstanceSpec spec = new InstanceSpec(name, appliance.name(), index, runtime,
                build == null ? null : build.id().toString(), renderer.render(appliance.command()), env,
                renderer.render(appliance.workdir()), appliance.stop(), config, appliance.restart());
        try {
            // the build's templates first: those next to the environment file may override them
            TemplateFiles.render(rootfs, fromBuild, target, renderer);
            TemplateFiles.render(templates, target, renderer);
        } catch (RuntimeException e) {
            addresses.release(id);
            throw e;
        }
        return spec;
    }
}
