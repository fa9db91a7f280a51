package io.spew.daemon.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.build.Build;
import io.spew.build.CreatedBuild;
import io.spew.build.ImportProgress;
import io.spew.daemon.api.AddKeyRequest;
import io.spew.daemon.api.CreateBuildRequest;
import io.spew.daemon.api.ImportBuildRequest;
import io.spew.daemon.api.ImportEvent;
import io.spew.trust.TrustedKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Base64;
import io.spew.daemon.api.ApplyRequest;
import io.spew.daemon.api.DaemonInfo;
import io.spew.daemon.api.InstanceSummary;
import io.spew.daemon.api.KillRequest;
import io.spew.daemon.api.StopDaemonRequest;
import io.spew.host.Host;
import io.spew.impl.json.Json;
import io.spew.instance.Instance;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import java.io.InputStream;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.List;

/** The daemon's API as Java calls, answering the records of {@code spew-api}. */
public final class DaemonClient {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final ApiTransport transport;

    DaemonClient(ApiTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** The address of the daemon this client calls. */
    public String address() {
        return transport.address();
    }

    public DaemonInfo info() {
        return transport.call("GET", "/daemon", null, type(DaemonInfo.class), PROBE_TIMEOUT);
    }

    /** Asks the daemon to exit (after stopping every instance when asked); it answers first. */
    public DaemonInfo stopDaemon(boolean stopInstances) {
        return transport.call("POST", "/daemon/stop", new StopDaemonRequest(stopInstances), type(DaemonInfo.class), null);
    }

    public List<Host> hosts() {
        return transport.call("GET", "/hosts", null, listOf(Host.class), null);
    }

    /** Takes this host out of its cluster for good (the others stop counting it); returns it as it was. */
    public Host leaveCluster() {
        return transport.call("POST", "/hosts/local/leave", null, type(Host.class), null);
    }

    public List<Appliance> appliances() {
        return transport.call("GET", "/appliances", null, listOf(Appliance.class), null);
    }

    public Appliance appliance(String name) {
        return transport.call("GET", "/appliances/" + segment(name), null, type(Appliance.class), null);
    }

    /** Applies an appliance from the text of a file; {@code source} is named in errors. */
    public Appliance apply(String source, String content) {
        return transport.call("POST", "/appliances", new ApplyRequest(source, content), type(Appliance.class), null);
    }

    /** Every instance, in any state. */
    public List<InstanceSummary> instances() {
        return transport.call("GET", "/instances", null, listOf(InstanceSummary.class), null);
    }

    public Instance instance(String ref) {
        return transport.call("GET", "/instances/" + segment(ref), null, type(Instance.class), null);
    }

    public Instance run(RunRequest request) {
        return transport.call("POST", "/instances", request, type(Instance.class), null);
    }

    public Instance start(String ref) {
        return action(ref, "start");
    }

    public Instance stop(String ref) {
        return action(ref, "stop");
    }

    public Instance restart(String ref) {
        return action(ref, "restart");
    }

    public Instance kill(String ref, Signal signal) {
        return transport.call("POST", "/instances/" + segment(ref) + "/kill", new KillRequest(signal),
                type(Instance.class), null);
    }

    /** Removes an instance ({@code force}: stopping it first) and returns its last snapshot. */
    public Instance remove(String ref, boolean force) {
        return transport.call("DELETE", "/instances/" + segment(ref) + "?force=" + force, null,
                type(Instance.class), null);
    }

    /**
     * One output stream of an instance: its last {@code tail} lines (all when negative), then,
     * when following, what it writes next until it stops. Close the stream to stop reading.
     */
    public InputStream logs(String ref, LogStream stream, boolean follow, int tail) {
        return logs(ref, stream, follow, tail, null);
    }

    /**
     * As {@link #logs(String, LogStream, boolean, int)}, starting no earlier than {@code since}
     * (null: no limit), across the rotated files.
     */
    public InputStream logs(String ref, LogStream stream, boolean follow, int tail, java.time.Instant since) {
        String query = "?stream=" + stream + "&follow=" + follow + (tail >= 0 ? "&tail=" + tail : "")
                + (since == null ? "" : "&since=" + since);
        return transport.stream("/instances/" + segment(ref) + "/logs" + query);
    }

    /**
     * Follows the changes of the instances as they happen: of one instance (name or id) and of one
     * appliance when those are not null. Close the stream to stop.
     */
    public EventStream events(String instance, String appliance) {
        StringBuilder query = new StringBuilder();
        if (instance != null) {
            query.append("?instance=").append(segment(instance));
        }
        if (appliance != null) {
            query.append(query.length() == 0 ? '?' : '&').append("appliance=").append(segment(appliance));
        }
        return new EventStream(transport.stream("/events" + query), transport.address());
    }

    public List<Build> builds() {
        return transport.call("GET", "/builds", null, listOf(Build.class), null);
    }

    public Build build(String ref) {
        return transport.call("GET", "/builds/" + segment(ref), null, type(Build.class), null);
    }

    public Build removeBuild(String ref) {
        return transport.call("DELETE", "/builds/" + segment(ref), null, type(Build.class), null);
    }

    /** Removes every build nothing uses; returns them. */
    public List<Build> pruneBuilds() {
        return transport.call("POST", "/builds/prune", null, listOf(Build.class), null);
    }

    public CreatedBuild createBuild(CreateBuildRequest request) {
        return transport.call("POST", "/builds/create", request, type(CreatedBuild.class), null);
    }

    /** Imports a build, telling {@code progress} how far the daemon has read the archive. */
    public Build importBuild(ImportBuildRequest request, ImportProgress progress) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                transport.postStream("/builds/import", request), UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                ImportEvent event = Json.mapper().readerFor(ImportEvent.class)
                        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(line);
                if (event.error() != null) {
                    throw event.error().toException();
                }
                if (event.build() != null) {
                    return event.build();
                }
                progress.progress(event.read(), event.total());
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "lost the daemon during the import: " + e.getMessage(), e);
        }
        throw new SpewException(ErrorCode.DAEMON_UNAVAILABLE, "the daemon ended the import without a result");
    }

    public List<TrustedKey> trustedKeys() {
        return transport.call("GET", "/trust", null, listOf(TrustedKey.class), null);
    }

    public TrustedKey trust(byte[] keyFile) {
        return transport.call("POST", "/trust", new AddKeyRequest(Base64.getEncoder().encodeToString(keyFile)),
                type(TrustedKey.class), null);
    }

    public List<TrustedKey> distrust(String fingerprint) {
        return transport.call("DELETE", "/trust/" + segment(fingerprint), null, listOf(TrustedKey.class), null);
    }

    /** Each resolved value of an appliance with who set it ({@code spew appliance show NAME --explain}). */
    public List<io.spew.appliance.ExplainedValue> explain(String name) {
        return transport.call("GET", "/appliances/" + segment(name) + "/explain", null,
                listOf(io.spew.appliance.ExplainedValue.class), null);
    }

    /** What {@code spew start} would do with an environment file; changes nothing. */
    public io.spew.environment.Plan plan(io.spew.daemon.api.EnvironmentRequest request) {
        return transport.call("POST", "/environments/plan", request, type(io.spew.environment.Plan.class), null);
    }

    /** Converges to an environment file; returns the steps taken. */
    public io.spew.environment.Plan startEnvironment(io.spew.daemon.api.EnvironmentRequest request) {
        return transport.call("POST", "/environments/start", request, type(io.spew.environment.Plan.class), null);
    }

    /** Stops (and removes, when asked) the instances of an environment file. */
    public io.spew.environment.Plan stopEnvironment(io.spew.daemon.api.EnvironmentRequest request) {
        return transport.call("POST", "/environments/stop", request, type(io.spew.environment.Plan.class), null);
    }

    /** The desired state of every environment started. */
    public List<io.spew.environment.DesiredEnvironment> environments() {
        return transport.call("GET", "/environments", null, listOf(io.spew.environment.DesiredEnvironment.class), null);
    }

    /** The service catalog. */
    public List<io.spew.service.Service> services() {
        return transport.call("GET", "/services", null, listOf(io.spew.service.Service.class), null);
    }

    /** Applies the appliance of a file, or every appliance under {@code appliances:} of an environment file. */
    public List<Appliance> applyAll(String source, String content) {
        return transport.call("POST", "/appliances/all", new ApplyRequest(source, content), listOf(Appliance.class), null);
    }

    /** A new one-time login URL of the web panel. */
    public io.spew.daemon.panel.PanelLogin panelLogin() {
        return transport.call("POST", "/panel/logins", null, type(io.spew.daemon.panel.PanelLogin.class), null);
    }

    /** The versions of an appliance that ran in an environment, oldest first. */
    public List<io.spew.environment.ApplianceVersion> history(String appliance) {
        return transport.call("GET", "/appliances/" + segment(appliance) + "/history", null,
                listOf(io.spew.environment.ApplianceVersion.class), null);
    }

    /** Rolls an appliance back to a version (null: the one before the last); returns its versions. */
    public List<io.spew.environment.ApplianceVersion> rollback(String appliance, Integer version) {
        return transport.call("POST", "/appliances/" + segment(appliance) + "/rollback",
                new io.spew.daemon.api.RollbackRequest(version, System.getProperty("user.name")),
                listOf(io.spew.environment.ApplianceVersion.class), null);
    }

    /** Lets a roll waiting after its canaries go on; returns the appliance's versions. */
    public List<io.spew.environment.ApplianceVersion> promote(String appliance) {
        return transport.call("POST", "/appliances/" + segment(appliance) + "/promote",
                new io.spew.daemon.api.RollbackRequest(null, System.getProperty("user.name")),
                listOf(io.spew.environment.ApplianceVersion.class), null);
    }

    /** Restarts the instances of an appliance of an environment a few at a time. */
    public List<io.spew.environment.ApplianceVersion> restartAppliance(String appliance) {
        return transport.call("POST", "/appliances/" + segment(appliance) + "/restart", null,
                listOf(io.spew.environment.ApplianceVersion.class), null);
    }

    /** The steps of rolls after a sequence number (0: every step the daemon keeps). */
    public List<io.spew.daemon.api.RollEntry> rolls(long after) {
        return transport.call("GET", "/rolls?after=" + after, null, listOf(io.spew.daemon.api.RollEntry.class), null);
    }

    private Instance action(String ref, String action) {
        return transport.call("POST", "/instances/" + segment(ref) + "/" + action, null, type(Instance.class), null);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, UTF_8).replace("+", "%20");
    }

    private static JavaType type(Class<?> type) {
        return Json.mapper().getTypeFactory().constructType(type);
    }

    private static JavaType listOf(Class<?> element) {
        return Json.mapper().getTypeFactory().constructCollectionType(List.class, element);
    }
}
