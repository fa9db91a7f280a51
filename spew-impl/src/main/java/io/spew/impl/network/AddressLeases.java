package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.state.AtomicFiles;
import io.spew.impl.state.DataDirectory;
import io.spew.instance.InstanceId;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses of this host's slice leased to instances: one file per address under
 * {@code <data>/network/leases/}, named by the address and holding the instance's id, written before
 * the address is handed out. An address is never leased twice while its instance exists; it is free
 * again once the instance is removed. New leases go round the slice, so a freed address is the last
 * to be reused. The slice is asked for when an address is leased (in a cluster it may be assigned only
 * after the engine started); leases of an earlier slice are kept until their instances go.
 */
@Singleton
public final class AddressLeases {
    private static final System.Logger LOG = System.getLogger(AddressLeases.class.getName());
    /** The slice's first usable address is the gateway's, so instances start at the second. */
    private static final long FIRST = 2;

    private final Path directory;
    private final HostSlice slice;
    /** Guarded by {@code this}. */
    private final Map<InstanceId, String> byInstance = new HashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, InstanceId> byAddress = new HashMap<>();
    /** Guarded by {@code this}: the offset the next search starts at. */
    private long next = FIRST;

    @Inject
    public AddressLeases(DataDirectory data, HostSlice slice) {
        this(data.root().resolve("network").resolve("leases"), slice);
    }

    AddressLeases(Path directory, Ipv4Subnet slice) {
        this(directory, () -> slice);
    }

    private AddressLeases(Path directory, HostSlice slice) {
        this.directory = requireNonNull(directory, "directory is null");
        this.slice = requireNonNull(slice, "slice is null");
        load();
    }

    private void load() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String address = file.getFileName().toString();
                if (AtomicFiles.isTemporary(file) || !isAddress(address)) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring lease " + file + ": not an IPv4 address");
                    continue;
                }
                try {
                    InstanceId id = InstanceId.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
                    byInstance.put(id, address);
                    byAddress.put(address, id);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring unreadable lease " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot read the address leases in " + directory + ": " + e);
        }
    }

    private static boolean isAddress(String text) {
        try {
            Ipv4Subnet.parseAddress(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The instance's address: the one it holds in this host's slice, else a free one of the slice, leased now.
     * Asks for the slice first, outside the lock: in a cluster that may wait for it to be assigned.
     */
    public InstanceAddress lease(InstanceId instance) {
        return lease(instance, slice.slice());
    }

    private synchronized InstanceAddress lease(InstanceId instance, Ipv4Subnet slice) {
        String held = byInstance.get(instance);
        if (held != null && slice.contains(held)) {
            return new InstanceAddress(held, slice);
        }
        release(instance); // of an earlier slice
        long usable = slice.size() - 1 - FIRST;
        for (long tried = 0; tried < usable; tried++) {
            long offset = FIRST + (next - FIRST + tried) % usable;
            String address = slice.address(offset);
            if (!byAddress.containsKey(address)) {
                write(address, instance);
                byInstance.put(instance, address);
                byAddress.put(address, instance);
                next = offset + 1;
                return new InstanceAddress(address, slice);
            }
        }
        throw new SpewException(ErrorCode.TOO_MANY, "every address of this host's instance network " + slice
                + " is in use (" + usable + "): remove instances with a network, or give the host a larger slice");
    }

    /** The address the instance holds in this host's slice, if any. */
    public Optional<InstanceAddress> of(InstanceId instance) {
        Ipv4Subnet current = slice.slice();
        synchronized (this) {
            return Optional.ofNullable(byInstance.get(instance)).filter(current::contains)
                    .map(address -> new InstanceAddress(address, current));
        }
    }

    /** Frees the instance's address; nothing happens if it holds none. */
    public synchronized void release(InstanceId instance) {
        String address = byInstance.remove(instance);
        if (address == null) {
            return;
        }
        byAddress.remove(address);
        try {
            Files.deleteIfExists(directory.resolve(address));
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot free address " + address + " (" + directory + "): " + e);
        }
    }

    /** Frees the leases of instances that no longer exist (an engine that ended while removing one). */
    public synchronized void retainOnly(Collection<InstanceId> instances) {
        Set<InstanceId> gone = new HashSet<>(byInstance.keySet());
        gone.removeAll(instances);
        gone.forEach(this::release);
    }

    /** How many addresses are leased. */
    public synchronized int size() {
        return byInstance.size();
    }

    private void write(String address, InstanceId instance) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SpewException(ErrorCode.IO_ERROR, "cannot create " + directory + ": " + e);
        }
        AtomicFiles.write(directory.resolve(address), (instance.value() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
