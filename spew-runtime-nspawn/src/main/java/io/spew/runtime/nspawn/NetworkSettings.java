package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The instance network of one container: none, or an address on the host's bridge.
 *
 * @param enabled whether the appliance asked for {@code network: private}
 * @param address the container's address with prefix length ({@code 10.77.0.2/24}), or null before the
 *     engine leased one (when an appliance is checked)
 * @param gateway the host's address on the bridge, or null likewise
 * @param bridge the bridge's name
 */
record NetworkSettings(boolean enabled, String address, String gateway, String bridge) {
    static final NetworkSettings NONE = new NetworkSettings(false, null, null, InstanceNetwork.DEFAULT_BRIDGE);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** A Linux interface name of at most 15 characters that starts with {@code spew}. */
    private static final Pattern BRIDGE = Pattern.compile("spew[a-zA-Z0-9_-]{0,11}");

    static NetworkSettings parse(Map<String, String> config) {
        String network = config.getOrDefault("network", "none").trim();
        if (!network.equals("none") && !network.equals("private")) {
            throw invalid("runtime nspawn: network must be private or none, not '" + network + "'");
        }
        String address = config.get("address");
        if (address != null && !(address.contains("/") && IPV4.matcher(address.substring(0, address.indexOf('/'))).matches()
                && address.substring(address.indexOf('/') + 1).matches("[1-9]|[12][0-9]|30"))) {
            throw invalid("runtime nspawn: address must be A.B.C.D/N, not '" + address + "'");
        }
        String gateway = config.get("gateway");
        if (gateway != null && !IPV4.matcher(gateway).matches()) {
            throw invalid("runtime nspawn: gateway must be an IPv4 address, not '" + gateway + "'");
        }
        String bridge = config.getOrDefault("bridge", InstanceNetwork.DEFAULT_BRIDGE);
        if (!BRIDGE.matcher(bridge).matches()) {
            throw invalid("runtime nspawn: bridge must start with 'spew' and have at most 15 letters, digits, '-' or '_', not '"
                    + bridge + "'");
        }
        boolean enabled = network.equals("private");
        if (!enabled && (address != null || gateway != null)) {
            throw invalid("runtime nspawn: address and gateway need network: private");
        }
        return new NetworkSettings(enabled, address, gateway, bridge);
    }

    /** The container's address without prefix length. */
    String host() {
        return address.substring(0, address.indexOf('/'));
    }

    /** The bridge's address: the gateway with the container's prefix length. */
    String gatewayCidr() {
        return gateway + address.substring(address.indexOf('/'));
    }

    private static SpewException invalid(String message) {
        return new SpewException(ErrorCode.INVALID_APPLIANCE, message);
    }
}
