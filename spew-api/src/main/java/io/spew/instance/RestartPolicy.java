package io.spew.instance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

/**
 * When and how soon an instance whose process ended is started again:
 * {@code restart: { policy: on-failure, initial: 1s, max: 5m, reset_after: 10m, limit: 5 within 10m }}.
 * The n-th restart in a row waits {@code initial × 2^(n-1)}, capped at {@code max}, with up to 20% of
 * jitter either way; a process that ran for {@code resetAfter} counts as healthy and starts the series
 * again. When {@code limit} restarts happened within {@code within}, the instance is {@code failed}
 * instead. An exit asked for ({@code spew stop}) never restarts.
 *
 * @param policy which ends restart
 * @param initial the delay before the first restart of a series
 * @param max the longest delay
 * @param resetAfter how long a process must run before its end starts a new series
 * @param limit how many restarts within {@code within} make the instance {@code failed}; 0 for no limit
 * @param within the window of {@code limit}
 * @param onUnhealthy whether an instance whose health checks fail is restarted (as if it had crashed)
 */
public record RestartPolicy(
        Mode policy,
        Duration initial,
        Duration max,
        Duration resetAfter,
        int limit,
        Duration within,
        boolean onUnhealthy) {
    /** Never restart, the default. */
    public static final RestartPolicy NEVER = new RestartPolicy(Mode.NEVER, null, null, null, 0, null, false);

    /** Which ends of a process lead to a restart. */
    public enum Mode {
        /** None: the instance stays {@code stopped} or {@code crashed}. */
        NEVER,
        /** A failure: an exit status other than 0, a signal, or an end nobody saw. */
        ON_FAILURE,
        /** Every end that was not asked for. */
        ALWAYS;

        /** Parses {@code never}, {@code on-failure} or {@code always}. */
        public static Mode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "never", "no" -> NEVER;
                case "on-failure", "on_failure" -> ON_FAILURE;
                case "always" -> ALWAYS;
                default -> throw new IllegalArgumentException(
                        "unknown restart policy '" + text + "' (known: never, on-failure, always)");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public RestartPolicy {
        requireNonNull(policy, "policy is null");
        initial = initial == null ? Duration.ofSeconds(1) : initial;
        max = max == null ? Duration.ofMinutes(5) : max;
        resetAfter = resetAfter == null ? Duration.ofMinutes(10) : resetAfter;
        within = within == null ? Duration.ofMinutes(10) : within;
        if (initial.isNegative() || max.isNegative() || resetAfter.isNegative() || within.isNegative()) {
            throw new IllegalArgumentException("restart durations must not be negative");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("restart max (" + max + ") is shorter than initial (" + initial + ")");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("restart limit is negative: " + limit);
        }
    }

    /** Whether a process that ended this way, without being asked to, is started again. */
    public boolean restartsAfter(ExitStatus status) {
        return switch (policy) {
            case NEVER -> false;
            case ON_FAILURE -> status == null || !status.isSuccess();
            case ALWAYS -> true;
        };
    }

    /**
     * The delay before restart number {@code attempt} of a series (1 for the first), before jitter:
     * {@code initial × 2^(attempt-1)}, at most {@code max}.
     */
    public Duration delay(int attempt) {
        if (attempt <= 1) {
            return initial;
        }
        int doublings = Math.min(attempt - 1, 62);
        long millis = initial.toMillis();
        long max = this.max.toMillis();
        long delay = millis > (max >> Math.min(doublings, 62)) ? max : millis << doublings;
        return Duration.ofMillis(Math.min(delay, max));
    }
}
