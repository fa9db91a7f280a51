package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.Appliances;
import io.spew.impl.host.HostFacts;
import io.spew.impl.network.AddressLeases;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.instance.InstanceEvent;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import io.spew.instance.Instances;
import io.spew.instance.LogStream;
import io.spew.instance.RunRequest;
import io.spew.instance.Signal;
import io.spew.spi.runtime.HostProcesses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The instances of this host: creation, lookup and removal; the lifecycle is the supervisor's. */
@Singleton
public final class LocalInstances implements Instances {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    /** The index in a name {@code <appliance>-<index>}: compiled once, as every run marks its name's index taken. */
    private static final Pattern INDEX = Pattern.compile("[1-9][0-9]{0,8}");
    private static final int MINIMUM_PREFIX = 4;

    private final Appliances appliances;
    private final SpecResolver resolver;
    private final ServiceAddresses services;
    private final InstanceRepository repository;
    private final InstanceSupervisor supervisor;
    private final InstanceEvents events;
    private final String hostId;
    private final HostProcesses processes;
    private final AddressLeases addresses;
    private final ServiceFollower follower;
    private final Map<InstanceId, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, InstanceRecord> byName = new ConcurrentHashMap<>();
    /** Guarded by {@code records}. */
    private final Map<String, BitSet> takenIndexes = new HashMap<>();

    @Inject
    public LocalInstances(Appliances appliances, SpecResolver resolver, InstanceRepository repository,
            InstanceSupervisor supervisor, InstanceEvents events, HostFacts host, ServiceAddresses services,
            HostProcesses processes, AddressLeases addresses, ServiceFollower follower) {
        this.follower = requireNonNull(follower, "follower is null");
        this.addresses = requireNonNull(addresses, "addresses is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.services = requireNonNull(services, "services is null");
        this.appliances = requireNonNull(appliances, "appliances is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.repository = requireNonNull(repository, "repository is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.events = requireNonNull(events, "events is null");
        this.hostId = host.id();
    }

    /**
     * Loads the stored instances and adopts those whose processes still run. The cgroup of an instance
     * that does not run is removed with anything left in it (an engine that ended while cleaning up).
     */
    public void recover() {
        List<StoredInstance> all = repository.loadAll();
        addresses.retainOnly(all.stream().map(stored -> stored.instance().id()).toList());
        for (StoredInstance stored : all) {
            InstanceRecord record = new InstanceRecord(repository.directory(stored.instance().id()),
                    stored.instance(), stored.handle(), stored.restarts());
            add(record);
            repository.loadServiceUse(record.directory).ifPresent(use -> follower.follow(record, use));
            supervisor.adopt(record);
            synchronized (record) {
                if (!record.instance.state().isActive()) {
                    processes.killAll(record.instance.id().value());
                }
            }
        }
        follower.start(this::unsorted);
    }

    @Override
    public Instance run(RunRequest request) {
        // The first state written is the running one (or the failure): one fsync'd write per run.
        return supervisor.start(newRecord(request), false);
    }

    @Override
    public Instance create(RunRequest request) {
        InstanceRecord record = newRecord(request);
        synchronized (record) {
            try {
                return supervisor.change(record, null, record.instance);
            } catch (SpewException e) {
                // Not written (no space left, for one): the instance does not exist.
                records.remove(record.instance.id());
                follower.forget(record.instance.id());
                repository.delete(record.directory);
                addresses.release(record.instance.id());
                throw e;
            }
        }
    }

    private InstanceRecord newRecord(RunRequest request) {
        Appliance appliance = appliances.resolve(request.appliance());
        if (request.name() != null && !NAME.matcher(request.name()).matches()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "bad instance name '" + request.name()
                    + "': use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        Map<String, String> addresses = services.addresses(this::unsorted);
        InstanceId id = InstanceId.random();
        Path directory = repository.create(id); // outside the lock: starts made side by side overlap here
        try {
            synchronized (records) {
                int index = indexOf(appliance.name(), request.name());
                String name = request.name() == null ? appliance.name() + "-" + index : request.name();
                if (findByName(name) != null) {
                    throw new SpewException(ErrorCode.INVALID_STATE, "an instance named " + name
                            + " exists: remove it with 'spew rm " + name + "' or pick another --name");
                }
                SpecResolver.Resolved resolved = resolver.resolve(appliance, name, index, id, request.settings(),
                        addresses, directory.resolve(SpecResolver.FILES));
                InstanceSpec spec = resolved.spec();
                if (resolved.use() != null) {
                    repository.saveServiceUse(directory, resolved.use());
                }
                Instance instance = new Instance(id, spec, hostId, InstanceState.CREATED, "none", null, 0, null,
                        Instant.now(), null, null, null);
                InstanceRecord record = new InstanceRecord(directory, instance, null, null);
                events.created(instance);
                add(record);
                if (resolved.use() != null) {
                    follower.follow(record, resolved.use());
                }
                return record;
            }
        } catch (RuntimeException e) {
            repository.delete(directory);
            throw e;
        }
    }

    /** The index in {@code <appliance>-<index>} when the name is that and the index is free, else the lowest free one. */
    private int indexOf(String appliance, String name) {
        String prefix = appliance + "-";
        if (name != null && name.startsWith(prefix) && INDEX.matcher(name.substring(prefix.length())).matches()) {
            int index = Integer.parseInt(name.substring(prefix.length()));
            if (!takenIndexes(appliance).get(index)) {
                return index;
            }
        }
        return takenIndexes(appliance).nextClearBit(1);
    }

    /**
     * The indexes an appliance cannot give a new instance: those of its instances, and those in the
     * names {@code <appliance>-<index>} of any instance. Kept per appliance so that a run costs the
     * same with 10 or 10,000 instances.
     */
    private BitSet takenIndexes(String appliance) {
        return takenIndexes.computeIfAbsent(appliance, key -> {
            BitSet taken = new BitSet();
            for (InstanceRecord record : records.values()) {
                markTaken(record.instance.spec(), key, taken);
            }
            return taken;
        });
    }

    private static void markTaken(InstanceSpec spec, String appliance, BitSet taken) {
        if (spec.appliance().equals(appliance)) {
            taken.set(spec.index());
        }
        int dash = spec.name().lastIndexOf('-');
        if (dash > 0 && spec.name().startsWith(appliance) && dash == appliance.length()) {
            String suffix = spec.name().substring(dash + 1);
            if (INDEX.matcher(suffix).matches()) {
                taken.set(Integer.parseInt(suffix));
            }
        }
    }

    /** Adds a record to the maps; callers hold the lock of {@code records}, or are recovering. */
    private void add(InstanceRecord record) {
        InstanceSpec spec = record.instance.spec();
        records.put(record.instance.id(), record);
        byName.put(spec.name(), record);
        takenIndexes.forEach((appliance, taken) -> markTaken(spec, appliance, taken));
    }

    @Override
    public Instance start(String ref) {
        return supervisor.start(find(ref), false);
    }

    @Override
    public Instance stop(String ref) {
        return supervisor.stop(find(ref));
    }

    @Override
    public Instance restart(String ref) {
        InstanceRecord record = find(ref);
        supervisor.stop(record);
        return supervisor.start(record, true);
    }

    @Override
    public Instance kill(String ref, Signal signal) {
        return supervisor.kill(find(ref), signal);
    }

    @Override
    public void remove(String ref) {
        InstanceRecord record = find(ref);
        synchronized (record) {
            if (record.instance.state().isActive()) {
                throw new SpewException(ErrorCode.INVALID_STATE, "instance " + record.instance.name() + " is "
                        + record.instance.state() + ": stop it first ('spew stop " + record.instance.name() + "')");
            }
            supervisor.forget(record);
            follower.forget(record.instance.id());
            record.removed = true;
            repository.delete(record.directory);
            addresses.release(record.instance.id());
            synchronized (records) {
                records.remove(record.instance.id());
                byName.remove(record.instance.name());
                // recomputed at the next run: an index may be free again
                takenIndexes.clear();
            }
            processes.killAll(record.instance.id().value());
        }
    }

    @Override
    public Instance get(String ref) {
        InstanceRecord record = find(ref);
        synchronized (record) {
            return record.instance;
        }
    }

    @Override
    public List<Instance> list() {
        List<Instance> all = new ArrayList<>(unsorted());
        all.sort(Comparator.comparing(Instance::name));
        return Collections.unmodifiableList(all);
    }

    /** Every instance, in no order: cheaper than {@link #list()} where the order does not matter. */
    private List<Instance> unsorted() {
        List<Instance> all = new ArrayList<>(records.size());
        for (InstanceRecord record : records.values()) {
            synchronized (record) {
                all.add(record.instance);
            }
        }
        return all;
    }

    @Override
    public Path log(String ref, LogStream stream) {
        return repository.log(find(ref).directory, stream);
    }

    @Override
    public Registration onChange(Consumer<Instance> listener) {
        return events.register(listener);
    }

    @Override
    public Registration onEvent(Consumer<InstanceEvent> listener) {
        return events.registerEvents(listener);
    }

    private InstanceRecord find(String ref) {
        requireNonNull(ref, "ref is null");
        InstanceRecord byName = findByName(ref);
        if (byName != null) {
            return byName;
        }
        if (InstanceId.isValid(ref)) {
            InstanceRecord byId = records.get(InstanceId.parse(ref));
            if (byId != null) {
                return byId;
            }
        }
        if (ref.length() >= MINIMUM_PREFIX) {
            List<InstanceRecord> matches = records.values().stream()
                    .filter(record -> record.instance.id().value().startsWith(ref)).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + ref + "' is the start of several instance ids: give more of it");
            }
        }
        throw new SpewException(ErrorCode.INSTANCE_NOT_FOUND, "no instance '" + ref + "': see 'spew ps --all'");
    }

    private InstanceRecord findByName(String name) {
        return byName.get(name);
    }
}
