package io.spew.impl.service;

import static java.util.Objects.requireNonNull;

import io.spew.impl.instance.LocalInstances;
import io.spew.instance.Instances;
import io.spew.service.Service;
import io.spew.service.Services;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The service catalog: the services of this host's instances and, in a cluster, of those the other hosts reported
 * (see {@link ServiceAddresses}).
 */
@Singleton
public final class LocalServices implements Services {
    private final Instances instances;
    private final ServiceAddresses addresses;

    @Inject
    public LocalServices(LocalInstances instances, ServiceAddresses addresses) {
        this.instances = requireNonNull(instances, "instances is null");
        this.addresses = requireNonNull(addresses, "addresses is null");
    }

    @Override
    public List<Service> list() {
        return addresses.catalog(instances.list());
    }
}
