package io.spew.impl.lifecycle;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import io.spew.Spew;
import io.spew.appliance.Appliances;
import io.spew.build.Builds;
import io.spew.host.Hosts;
import io.spew.impl.health.HealthMonitor;
import io.spew.impl.host.HostFactsExchange;
import io.spew.impl.host.SharedSuspicions;
import io.spew.impl.instance.LocalInstances;
import io.spew.impl.instance.ServiceFollower;
import io.spew.impl.logs.InstanceLogs;
import io.spew.impl.network.HostRoutes;
import io.spew.impl.network.InstanceNameServer;
import io.spew.impl.network.PeerRoutes;
import io.spew.impl.network.PeerSlices;
import io.spew.impl.network.ReplicatedSlices;
import io.spew.impl.os.LinuxHostProcesses;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.DataDirectoryLock;
import io.spew.impl.state.DeferredSync;
import io.spew.instance.Instances;
import io.spew.environment.Environments;
import io.spew.impl.environment.EnvironmentPlacer;
import io.spew.impl.environment.LocalEnvironments;
import io.spew.impl.environment.PlacedConvergence;
import io.spew.impl.environment.RollReports;
import io.spew.impl.cluster.BuildTransfer;
import io.spew.impl.cluster.InstanceForwarding;
import io.spew.impl.cluster.InstanceReports;
import io.spew.service.Services;
import io.spew.trust.Trust;
import io.spew.spi.cluster.ClusterTransport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A running engine: services started in order and closed in reverse. Closing leaves instances
 * running; the next engine on the data directory adopts them.
 */
public final class EngineServices implements Spew {
    private static final System.Logger LOG = System.getLogger(EngineServices.class.getName());

    private final Injector injector;
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();
    private boolean closed;

    private EngineServices(Injector injector) {
        this.injector = injector;
    }

    /** Locks the data directory, then starts every service; on failure, closes what had started. */
    public static EngineServices start(DataDirectory dataDirectory, EngineSettings settings) {
        dataDirectory.create();
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
        Injector injector = Guice.createInjector(new EngineModule(dataDirectory, settings));
        EngineServices services = new EngineServices(injector);
        services.closing.push(lock);
        try {
            services.closing.push(injector.getInstance(DeferredSync.class));
            services.closing.push(injector.getInstance(InstanceLogs.class));
            services.closing.push(injector.getInstance(LinuxHostProcesses.class));
            services.closing.push(injector.getInstance(ScheduledExecutorService.class)::shutdownNow);
            services.closing.push(injector.getInstance(Key.get(ExecutorService.class, Names.named("exits")))::shutdown);
            services.closing.push(injector.getInstance(RuntimeRegistry.class));
            services.closing.push(injector.getInstance(HealthMonitor.class));
            ClusterTransport transport = injector.getInstance(ClusterTransport.class);
            HostFactsExchange exchange = injector.getInstance(HostFactsExchange.class);
            exchange.open();
            services.closing.push(exchange);
            SharedSuspicions suspicions = injector.getInstance(SharedSuspicions.class);
            suspicions.open();
            services.closing.push(suspicions);
            boolean distributed = EngineModule.distributed(transport);
            InstanceReports reports = injector.getInstance(InstanceReports.class);
            if (distributed) {
                reports.open();
                services.closing.push(reports);
                InstanceForwarding forwarding = injector.getInstance(InstanceForwarding.class);
                forwarding.open();
                services.closing.push(forwarding);
                BuildTransfer transfer = injector.getInstance(BuildTransfer.class);
                transfer.open();
                services.closing.push(transfer);
                RollReports rolls = injector.getInstance(RollReports.class);
                rolls.open();
                services.closing.push(rolls);
            }
            transport.start();
            services.closing.push(transport);
            PeerRoutes routes = new PeerRoutes(injector.getInstance(PeerSlices.class), new HostRoutes());
            routes.start(); // before the slices are read: it hears the first list of them
            services.closing.push(routes);
            if (distributed) {
                ReplicatedSlices slices = injector.getInstance(ReplicatedSlices.class);
                slices.start();
                services.closing.push(slices);
            }
            exchange.tellEveryone();
            injector.getInstance(Builds.class);
            injector.getInstance(LocalInstances.class).recover();
            services.closing.push(injector.getInstance(ServiceFollower.class));
            InstanceNameServer names = injector.getInstance(InstanceNameServer.class);
            names.start();
            services.closing.push(names);
            if (distributed) {
                startPlacement(injector, services, reports);
            } else {
                injector.getInstance(LocalEnvironments.class).resumeInBackground();
            }
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /**
     * In a cluster: reports this host's instances, converges those placed here, and places (while leader).
     * The environments this host kept alone are not resumed: the cluster's state says what runs.
     */
    private static void startPlacement(Injector injector, EngineServices services, InstanceReports reports) {
        reports.start();
        PlacedConvergence convergence = injector.getInstance(PlacedConvergence.class);
        convergence.start();
        services.closing.push(convergence);
        EnvironmentPlacer placer = injector.getInstance(EnvironmentPlacer.class);
        placer.start();
        services.closing.push(placer);
    }

    @Override
    public Builds builds() {
        return injector.getInstance(Builds.class);
    }

    @Override
    public Appliances appliances() {
        return injector.getInstance(Appliances.class);
    }

    @Override
    public Instances instances() {
        return injector.getInstance(Instances.class);
    }

    @Override
    public Hosts hosts() {
        return injector.getInstance(Hosts.class);
    }

    @Override
    public Trust trust() {
        return injector.getInstance(Trust.class);
    }

    @Override
    public Environments environments() {
        return injector.getInstance(Environments.class);
    }

    @Override
    public Services services() {
        return injector.getInstance(Services.class);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!closing.isEmpty()) {
            try {
                closing.pop().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the engine: " + e.getMessage(), e);
            }
        }
    }
}
