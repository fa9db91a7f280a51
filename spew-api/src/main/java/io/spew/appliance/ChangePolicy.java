package io.spew.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.instance.Signal;
import java.util.Locale;

/**
 * What happens to a running instance when the healthy addresses of a service it uses change
 * ({@code ${service.NAME.addresses}} or {@code SPEW_SERVICE_<NAME>_ADDRS} in its values or template
 * files): {@code on_change: restart | signal | none}, or {@code on_change: { action: signal, signal: HUP }}.
 * Its values and template files are rendered again first in every case; then it is restarted, sent
 * the signal, or left alone. A change of a service its own appliance offers (its peers) never
 * restarts it: peers restarting each other would go round; {@code signal} still signals it.
 *
 * @param action what to do once the instance's files are rendered again
 * @param signal the signal {@code signal} sends ({@code SIGHUP} unless given); null for other actions
 */
public record ChangePolicy(Action action, Signal signal) {
    /** Restart, one instance at a time: the default, so that no instance runs on stale addresses. */
    public static final ChangePolicy DEFAULT = new ChangePolicy(Action.RESTART, null);

    /** What is done to an instance whose service addresses changed. */
    public enum Action {
        /** Stopped and started again (the next instance waits until it is healthy). */
        RESTART,
        /** Sent a signal, to reload its files. */
        SIGNAL,
        /** Only its files and values are rendered again: it reads them itself, or at its next start. */
        NONE;

        /** Parses {@code restart}, {@code signal} or {@code none}. */
        public static Action parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "restart" -> RESTART;
                case "signal" -> SIGNAL;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException(
                        "unknown on_change action '" + text + "' (known: restart, signal, none)");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChangePolicy {
        requireNonNull(action, "action is null");
        if (action == Action.SIGNAL) {
            signal = signal == null ? Signal.SIGHUP : signal;
        } else if (signal != null) {
            throw new IllegalArgumentException("a signal (" + signal + ") is only sent with action 'signal', not '"
                    + action + "'");
        }
    }

    /** {@code restart}, {@code none} or {@code signal SIGHUP}. */
    public String describe() {
        return action == Action.SIGNAL ? action + " " + signal.name() : action.toString();
    }
}
