package io.spew.impl.network;

import io.spew.instance.InstanceSpec;

/**
 * Where an instance is reached: its own address when it has an instance network ({@code network:
 * private}, the address the engine leased), else the host's address (shell instances and containers on
 * the host's network listen on the host's ports).
 */
public final class InstanceAddresses {
    private InstanceAddresses() {}

    /** The instance's address, or {@code hostIp} when it shares the host's network. */
    public static String of(InstanceSpec spec, String hostIp) {
        String address = spec.config().get("address");
        if (!"private".equals(spec.config().get("network")) || address == null) {
            return hostIp;
        }
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
