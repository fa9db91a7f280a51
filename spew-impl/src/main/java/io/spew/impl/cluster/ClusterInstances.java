package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.instance.Instance;
import io.spew.instance.InstanceEvent;
import io.spew.instance.Instances;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.impl.instance.LocalInstances;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The instances of every host: this host's ({@link LocalInstances}), then those the other members reported
 * ({@link InstanceReports}), sorted by name. An action on another host's instance is carried to that host
 * ({@link InstanceForwarding}); its log files are that host's ({@link #remote}). With one host this is
 * {@link LocalInstances} as it is.
 */
@Singleton
public final class ClusterInstances implements Instances {
    private final LocalInstances local;
    private final InstanceReports reports;
    private final InstanceForwarding forwarding;

    @Inject
    public ClusterInstances(LocalInstances local, InstanceReports reports, InstanceForwarding forwarding) {
        this.local = requireNonNull(local, "local is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.forwarding = requireNonNull(forwarding, "forwarding is null");
    }

    @Override
    public Instance run(RunRequest request) {
        return local.run(request);
    }

    @Override
    public Instance create(RunRequest request) {
        return local.create(request);
    }

    @Override
    public Instance start(String ref) {
        return here(ref, "start", null, () -> local.start(ref));
    }

    @Override
    public Instance stop(String ref) {
        return here(ref, "stop", null, () -> local.stop(ref));
    }

    @Override
    public Instance restart(String ref) {
        return here(ref, "restart", null, () -> local.restart(ref));
    }

    @Override
    public Instance kill(String ref, Signal signal) {
        return here(ref, "kill", signal, () -> local.kill(ref, signal));
    }

    @Override
    public void remove(String ref) {
        here(ref, "remove", null, () -> {
            local.remove(ref);
            return null;
        });
    }

    @Override
    public Instance get(String ref) {
        try {
            return local.get(ref);
        } catch (SpewException e) {
            if (e.code() != ErrorCode.INSTANCE_NOT_FOUND) {
                throw e;
            }
            return elsewhere(ref).orElseThrow(() -> e);
        }
    }

    @Override
    public List<Instance> list() {
        List<Instance> others = reports.others();
        if (others.isEmpty()) {
            return local.list();
        }
        List<Instance> all = new ArrayList<>(local.list());
        all.addAll(others);
        all.sort(Comparator.comparing(Instance::name).thenComparing(Instance::host));
        return Collections.unmodifiableList(all);
    }

    /** The log file of an instance of this host; another host's fails naming it (see {@link #remote}). */
    @Override
    public Path log(String ref, LogStream stream) {
        try {
            return local.log(ref, stream);
        } catch (SpewException e) {
            Instance other = elsewhereOr(ref, e);
            throw new SpewException(ErrorCode.INVALID_STATE, "instance " + other.name() + " runs on host "
                    + other.host() + ": its log files are there");
        }
    }

    /** Another host's instance {@code ref}, whose logs are that host's; empty when {@code ref} is this host's. */
    public Optional<Instance> remote(String ref) {
        try {
            local.get(ref);
            return Optional.empty();
        } catch (SpewException e) {
            return Optional.of(elsewhereOr(ref, e));
        }
    }

    /** Carries actions and log reads to the hosts that run the instances. */
    public InstanceForwarding forwarding() {
        return forwarding;
    }

    @Override
    public Registration onChange(Consumer<Instance> listener) {
        return local.onChange(listener);
    }

    @Override
    public Registration onEvent(Consumer<InstanceEvent> listener) {
        return local.onEvent(listener);
    }

    /** Runs an action on an instance of this host, or asks the host that runs it. */
    @SuppressWarnings("unchecked")
    private <T> T here(String ref, String name, Signal signal, Supplier<T> action) {
        try {
            return action.get();
        } catch (SpewException e) {
            Instance other = elsewhereOr(ref, e);
            return (T) forwarding.act(other.host(), name, other.id().value(), signal);
        }
    }

    /** The other host's instance {@code ref}, or {@code notHere} again when it is not that either. */
    private Instance elsewhereOr(String ref, SpewException notHere) {
        if (notHere.code() != ErrorCode.INSTANCE_NOT_FOUND) {
            throw notHere;
        }
        return elsewhere(ref).filter(instance -> instance.state() != io.spew.instance.InstanceState.LOST)
                .orElseThrow(() -> notHere);
    }

    private Optional<Instance> elsewhere(String ref) {
        List<Instance> others = reports.others();
        for (Instance instance : others) {
            if (instance.name().equals(ref) || instance.id().value().equals(ref)) {
                return Optional.of(instance);
            }
        }
        List<Instance> prefixed = others.stream().filter(instance -> instance.id().value().startsWith(ref)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }
}
