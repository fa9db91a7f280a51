package io.spew.impl.lifecycle;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.spew.appliance.Appliances;
import io.spew.build.Builds;
import io.spew.host.Hosts;
import io.spew.impl.appliance.ApplianceStore;
import io.spew.impl.environment.LocalEnvironments;
import io.spew.impl.service.LocalServices;
import io.spew.environment.Environments;
import io.spew.service.Services;
import io.spew.impl.build.BuildStore;
import io.spew.impl.trust.SignatureVerifier;
import io.spew.impl.trust.TrustStore;
import io.spew.impl.cluster.ClusterInstances;
import io.spew.impl.cluster.ClusterTransports;
import io.spew.impl.cluster.LocalClusterTransport;
import io.spew.impl.environment.ClusterEnvironments;
import io.spew.impl.host.ClusterHosts;
import io.spew.impl.host.HostFacts;
import io.spew.impl.instance.LocalInstances;
import io.spew.impl.logs.LogSettings;
import io.spew.impl.network.HostSlice;
import io.spew.impl.network.PeerSlices;
import io.spew.impl.network.ReplicatedSlices;
import io.spew.impl.network.SettingsHostSlice;
import io.spew.impl.network.SettingsPeerSlices;
import io.spew.impl.os.LinuxHostProcesses;
import io.spew.impl.runtime.EngineRuntimeContext;
import io.spew.impl.state.DataDirectory;
import io.spew.impl.state.DeferredSync;
import io.spew.instance.Instances;
import io.spew.trust.Trust;
import io.spew.spi.cluster.ClusterContext;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.Member;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.RuntimeContext;
import jakarta.inject.Named;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Wires the engine of one data directory. Every service here is closed by {@link EngineServices}. */
final class EngineModule extends AbstractModule {
    private static final int EXIT_THREADS = 4;
    private final DataDirectory dataDirectory;
    private final EngineSettings settings;

    EngineModule(DataDirectory dataDirectory, EngineSettings settings) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(DataDirectory.class).toInstance(dataDirectory);
        bind(EngineSettings.class).toInstance(settings);
        bind(LogSettings.class).toInstance(settings.logs());
        bind(Appliances.class).to(ApplianceStore.class);
        bind(Instances.class).to(ClusterInstances.class);
        bind(Hosts.class).to(ClusterHosts.class);
        bind(Builds.class).to(BuildStore.class);
        bind(Trust.class).to(TrustStore.class);
        bind(HostProcesses.class).to(LinuxHostProcesses.class);
        bind(LinuxHostProcesses.class).in(Singleton.class);
        bind(DeferredSync.class).in(Singleton.class);
        bind(Services.class).to(LocalServices.class);
    }

    @Provides
    @Singleton
    TrustStore trustStore() {
        return new TrustStore(dataDirectory.trust());
    }

    @Provides
    @Singleton
    SignatureVerifier signatureVerifier(TrustStore trust) {
        return new SignatureVerifier(trust);
    }

    @Provides
    @Singleton
    HostFacts hostFacts() {
        return HostFacts.read(dataDirectory);
    }

    @Provides
    @Singleton
    ScheduledExecutorService scheduler() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("spew-scheduler"));
    }

    @Provides
    @Singleton
    @Named("exits")
    ExecutorService exitExecutor() {
        // Ends are handled side by side (each under its instance's lock), so that one slow end (its
        // pipes drained, its state written) does not hold up the crash events of others; the threads
        // go when idle.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(EXIT_THREADS, EXIT_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("spew-exits"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Provides
    @Named("exits")
    Executor exits(@Named("exits") ExecutorService executor) {
        return executor;
    }

    @Provides
    @Singleton
    RuntimeContext runtimeContext(HostProcesses processes, ScheduledExecutorService scheduler) {
        return new EngineRuntimeContext(processes, scheduler);
    }

    @Provides
    @Singleton
    ClusterTransport clusterTransport(HostFacts facts) {
        Member local = new Member(facts.id(), facts.name(), facts.ip(), settings.labels());
        ClusterContext context = new ClusterContext() {
            @Override
            public Member localMember() {
                return local;
            }

            @Override
            public Map<String, String> config() {
                return settings.clusterConfig();
            }
        };
        return ClusterTransports.create(settings.clusterTransport(), context);
    }

    /**
     * With one host the engine's own environments, as they always were; in a cluster those kept in the
     * cluster's replicated state.
     */
    @Provides
    @Singleton
    Environments environments(ClusterTransport transport, com.google.inject.Provider<LocalEnvironments> local,
            com.google.inject.Provider<ClusterEnvironments> cluster) {
        return distributed(transport) ? cluster.get() : local.get();
    }

    /** A host alone takes its slice from the settings; in a cluster the replicated state assigns it. */
    @Provides
    @Singleton
    HostSlice hostSlice(ClusterTransport transport, com.google.inject.Provider<SettingsHostSlice> alone,
            com.google.inject.Provider<ReplicatedSlices> cluster) {
        return distributed(transport) ? cluster.get() : alone.get();
    }

    /** The other hosts' slices: from the settings for a host alone, from the replicated state in a cluster. */
    @Provides
    @Singleton
    PeerSlices peerSlices(ClusterTransport transport, com.google.inject.Provider<SettingsPeerSlices> alone,
            com.google.inject.Provider<ReplicatedSlices> cluster) {
        return distributed(transport) ? cluster.get() : alone.get();
    }

    /** Whether the transport reaches other hosts (else the engine runs alone, as before clusters). */
    static boolean distributed(ClusterTransport transport) {
        return !(transport instanceof LocalClusterTransport);
    }

    static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
