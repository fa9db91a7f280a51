package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.host.HostFacts;
import io.spew.impl.network.InstanceAddresses;
import io.spew.impl.runtime.RuntimeRegistry;
import io.spew.instance.Instance;
import io.spew.service.HealthCheck;
import io.spew.service.ServiceDefinition;
import io.spew.spi.runtime.HostProcesses;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.RuntimeHandle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Makes the probe of a check, with what probes share: one channel group (one thread) for TCP
 * connects, one HTTP client, the host's processes and the shared scheduler for timeouts.
 */
final class Probes implements AutoCloseable {
    private static final Path DISCARD = Path.of("/dev/null");

    private final HostFacts host;
    private final RuntimeRegistry runtimes;
    private final HostProcesses processes;
    private final ScheduledExecutorService scheduler;
    private final AsynchronousChannelGroup channels;
    private final HttpClient http;

    Probes(HostFacts host, RuntimeRegistry runtimes, HostProcesses processes, ScheduledExecutorService scheduler,
            Executor executor) {
        this.host = requireNonNull(host, "host is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        try {
            this.channels = AsynchronousChannelGroup.withFixedThreadPool(1, HealthMonitor.daemonThreads("spew-health-tcp"));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.INTERNAL, "cannot open the channels of health checks: " + e.getMessage(), e);
        }
        this.http = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(HealthCheck.DEFAULT_TIMEOUT).build();
    }

    /** The probe of a service's (rendered) check; throws {@code INVALID_APPLIANCE} naming a bad value. */
    Probe of(Instance instance, RuntimeHandle handle, ServiceDefinition service) {
        HealthCheck check = service.check();
        if (check.tcp() != null) {
            String target = check.tcp().trim();
            int colon = target.lastIndexOf(':');
            String address = colon < 0 ? InstanceAddresses.of(instance.spec(), host.ip()) : target.substring(0, colon);
            return new TcpProbe(channels, scheduler, address, port(target.substring(colon + 1), service), check.timeout());
        }
        if (check.http() != null) {
            return new HttpProbe(http, uri(check.http().trim(), service, InstanceAddresses.of(instance.spec(), host.ip())),
                    check.timeout());
        }
        InstanceRuntime runtime = runtimes.get(instance.runtime());
        return new ExecProbe(processes, scheduler, () -> runtime.checkProcess(handle, instance.spec(), check.exec(), DISCARD),
                String.join(" ", check.exec()), check.timeout());
    }

    /** A URL, or a path on the service's port of the instance's address. */
    private URI uri(String text, ServiceDefinition service, String address) {
        String url = text.startsWith("/") ? "http://" + address + ":" + port(service.port(), service) + text : text;
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, "check http of service " + service.name() + ": '" + text
                    + "' is neither a URL nor a path starting with '/': " + e.getMessage());
        }
    }

    private static int port(String text, ServiceDefinition service) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new SpewException(ErrorCode.INVALID_APPLIANCE, "service " + service.name() + ": '" + text
                + "' is not a port (1 to 65535)");
    }

    @Override
    public void close() throws IOException {
        channels.shutdownNow();
    }
}
