package io.spew.impl.appliance;

import io.spew.SpewException;
import io.spew.appliance.ChangePolicy;
import io.spew.appliance.ChangePolicy.Action;
import io.spew.impl.appliance.ConfigNode.Entry;
import io.spew.instance.Signal;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code on_change: restart | signal | none} or {@code on_change: { action: signal, signal: HUP }}
 * of an appliance ({@code { signal: USR1 }} alone means action {@code signal}); errors name
 * {@code file:line:column}.
 */
final class ChangePolicyReader {
    private static final Set<String> KEYS = Set.of("action", "signal");

    private ChangePolicyReader() {}

    static ChangePolicy read(ConfigNode node) {
        if (node == null) {
            return ChangePolicy.DEFAULT;
        }
        if (node.isScalar()) {
            return new ChangePolicy(action(node), null);
        }
        Map<String, Entry> entries = node.entries("'on_change'", KEYS);
        Entry signalEntry = entries.get("signal");
        Signal signal = signalEntry == null ? null : signal(signalEntry.value());
        Action action = entries.containsKey("action") ? action(entries.get("action").value())
                : signal != null ? Action.SIGNAL : null;
        if (action == null) {
            throw node.error("'on_change' needs an 'action': restart, signal or none");
        }
        try {
            return new ChangePolicy(action, signal);
        } catch (IllegalArgumentException e) {
            throw node.error("on_change: " + e.getMessage());
        }
    }

    private static Action action(ConfigNode node) {
        try {
            return Action.parse(node.text("'on_change.action'"));
        } catch (IllegalArgumentException e) {
            throw node.error("on_change: " + e.getMessage());
        }
    }

    private static Signal signal(ConfigNode node) {
        try {
            return Signal.parse(node.text("'on_change.signal'"));
        } catch (SpewException e) {
            throw node.error("on_change: " + e.getMessage());
        }
    }
}
