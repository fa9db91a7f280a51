package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.lifecycle.EngineSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host's slice from the engine's network settings, every key optional:
 * {@code instance-subnet} (default {@value #DEFAULT_SUBNET}), {@code slice-prefix} (default
 * {@value #DEFAULT_SLICE_PREFIX}) and {@code slice} (which slice of the subnet, default 0);
 * {@code dns-listen} is {@link InstanceNameServer}'s, {@code service-change-wait} the service follower's,
 * {@code peer-slices} {@link SettingsPeerSlices}', {@code host-address} {@link ReplicatedSlices}'. In a cluster the
 * subnet and prefix are those the first host set, and {@code slice} is only the one claimed first.
 */
@Singleton
public final class SettingsHostSlice implements HostSlice {
    static final String DEFAULT_SUBNET = "10.77.0.0/16";
    static final int DEFAULT_SLICE_PREFIX = 24;
    private static final Set<String> KEYS = Set.of("instance-subnet", "slice-prefix", "slice", "dns-listen",
            "service-change-wait", "peer-slices", "host-address");

    private final InstanceSubnet subnet;
    private final long index;
    private final Ipv4Subnet slice;

    @Inject
    public SettingsHostSlice(EngineSettings settings) {
        this(requireNonNull(settings, "settings is null").networkConfig());
    }

    public SettingsHostSlice(Map<String, String> config) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "no network setting " + String.join(", ", unknown)
                    + " (settings: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        Ipv4Subnet subnet = Ipv4Subnet.parse(config.getOrDefault("instance-subnet", DEFAULT_SUBNET), "instance-subnet");
        String prefix = config.getOrDefault("slice-prefix", Integer.toString(DEFAULT_SLICE_PREFIX));
        String index = config.getOrDefault("slice", "0");
        try {
            this.subnet = new InstanceSubnet(subnet, Integer.parseInt(prefix.trim()));
            this.index = Long.parseLong(index.trim());
            this.slice = this.subnet.slice(this.index);
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "network settings slice-prefix " + prefix + " and slice "
                    + index + " name no slice of " + subnet + " (" + e.getMessage() + "): pick a slice inside it");
        }
    }

    @Override
    public Ipv4Subnet slice() {
        return slice;
    }

    /** The instance subnet and the prefix length of its slices. */
    public InstanceSubnet instanceSubnet() {
        return subnet;
    }

    /** Which slice of the subnet is this host's. */
    public long index() {
        return index;
    }
}
