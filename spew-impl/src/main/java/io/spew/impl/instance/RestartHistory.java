package io.spew.impl.instance;

import io.spew.instance.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The restarts of an instance, kept with its state so that a new engine goes on counting: how many
 * restarts the current series has had (its backoff), when the recent ones happened (its limit), and
 * when the next one is due while it is {@code restarting}.
 *
 * @param attempt the restarts of the current series; 0 after a healthy run
 * @param recent when the restarts within the policy's window happened, oldest first
 * @param next when the pending restart is due, or null
 */
record RestartHistory(int attempt, List<Instant> recent, Instant next) {
    static final RestartHistory NONE = new RestartHistory(0, List.of(), null);

    RestartHistory {
        recent = List.copyOf(recent == null ? List.of() : recent);
    }

    /** The restarts of {@code recent} that fall within the policy's window before {@code now}. */
    List<Instant> within(RestartPolicy policy, Instant now) {
        Instant since = now.minus(policy.within());
        return recent.stream().filter(time -> time.isAfter(since)).toList();
    }

    /** The next restart is planned: number {@code attempt} of its series, at {@code next}. */
    RestartHistory planned(int attempt, List<Instant> recent, Instant next) {
        return new RestartHistory(attempt, recent, next);
    }

    /** The planned restart happens now. */
    RestartHistory happened(Instant now, RestartPolicy policy) {
        List<Instant> times = new ArrayList<>(within(policy, now));
        times.add(now);
        // only the last `limit` restarts matter to the limit
        int keep = Math.max(policy.limit(), 1);
        return new RestartHistory(attempt, times.subList(Math.max(0, times.size() - keep), times.size()), null);
    }

    /** A new series after a healthy run; the recent restarts still count toward the limit. */
    RestartHistory reset() {
        return new RestartHistory(0, recent, null);
    }

    /** Whether a process that ran from {@code started} to {@code ended} counts as healthy. */
    static boolean ranLongEnough(RestartPolicy policy, Instant started, Instant ended) {
        return started != null && Duration.between(started, ended).compareTo(policy.resetAfter()) >= 0;
    }
}
