package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.UpdatePolicy;
import io.spew.impl.environment.Convergence.Work;
import io.spew.impl.environment.RollProgressListeners.Versions;
import io.spew.environment.RollProgress.Phase;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Rolls a change over the instances of one appliance: at most {@code max_parallel} are replaced at
 * a time and each must be running and healthy for {@code min_healthy_time}, within
 * {@code healthy_deadline} of its start, before the next ones go. With a canary count the roll
 * stops after that many (counting those replaced before) until it is promoted.
 */
final class Roll {
    private static final long POLL_MILLIS = 20;

    /** How a roll ended. */
    enum Outcome {
        /** Every instance runs the new version. */
        DONE,
        /** The canaries run the new version; the others wait for a promotion. */
        PAUSED
    }

    private final ServiceAddresses services;
    private final Function<String, Instance> instances;
    private final Function<Work, Instance> replace;
    private final RollProgressListeners listener;

    /**
     * @param instances an instance by name, or throws when it is missing
     * @param replace replaces one instance by a new one made from the appliance as stored now
     */
    Roll(ServiceAddresses services, Function<String, Instance> instances, Function<Work, Instance> replace,
            RollProgressListeners listener) {
        this.services = services;
        this.instances = instances;
        this.replace = replace;
        this.listener = listener;
    }

    /**
     * @param works the instances to replace, in index order
     * @param alreadyReplaced how many instances of the appliance already run the new version (canaries)
     * @param canaries whether the policy's canary count applies (not once promoted, nor on a revert)
     */
    Outcome roll(String appliance, Versions versions, List<Work> works, int total, int alreadyReplaced,
            UpdatePolicy policy, boolean canaries, Consumer<Work> made) {
        int[] replaced = {alreadyReplaced};
        listener.progress(appliance, Phase.STARTED, versions, replaced[0], total, null);
        try {
            return batches(appliance, versions, works, total, replaced, policy, canaries, made);
        } catch (RollFailedException e) {
            listener.progress(appliance, Phase.FAILED, versions, replaced[0], total, e.getMessage());
            throw e;
        }
    }

    private Outcome batches(String appliance, Versions versions, List<Work> works, int total, int[] done,
            UpdatePolicy policy, boolean canaries, Consumer<Work> made) {
        int replaced = done[0];
        for (int from = 0; from < works.size(); from += policy.maxParallel()) {
            if (canaries && policy.canary() > 0 && replaced >= policy.canary()) {
                listener.progress(appliance, Phase.PAUSED, versions, replaced, total, null);
                return Outcome.PAUSED;
            }
            int size = Math.min(policy.maxParallel(), works.size() - from);
            if (canaries && policy.canary() > 0) {
                size = Math.min(size, policy.canary() - replaced);
            }
            List<Work> batch = works.subList(from, from + size);
            List<String> names = batch.stream().map(Work::instance).toList();
            Converger.parallel(batch, work -> {
                Instance instance = replace.apply(work);
                made.accept(work);
                return instance;
            });
            awaitHealthyFor(appliance, names, policy);
            replaced += size;
            done[0] = replaced;
            from += size - policy.maxParallel(); // a canary batch may be smaller
            listener.progress(appliance, Phase.REPLACED, versions, replaced, total, String.join(", ", names));
        }
        listener.progress(appliance, Phase.DONE, versions, replaced, total, null);
        return Outcome.DONE;
    }

    /** Waits until each instance was healthy for the policy's time in a row, within its deadline. */
    private void awaitHealthyFor(String appliance, List<String> names, UpdatePolicy policy) {
        long start = System.nanoTime();
        long deadline = start + policy.healthyDeadline().toNanos();
        long needed = policy.minHealthyTime().toNanos();
        Map<String, Long> healthySince = new HashMap<>();
        List<String> waiting = new ArrayList<>(names);
        while (true) {
            long now = System.nanoTime();
            waiting.removeIf(name -> {
                if (!healthy(name)) {
                    healthySince.remove(name);
                    return false;
                }
                return now - healthySince.computeIfAbsent(name, n -> now) >= needed;
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (now > deadline) {
                String states = String.join(", ", waiting.stream().map(this::describe).toList());
                throw new RollFailedException(appliance, "the roll of appliance " + appliance + " stopped: "
                        + states + (waiting.size() == 1 ? " was" : " were") + " not healthy for "
                        + seconds(policy.minHealthyTime()) + " within " + seconds(policy.healthyDeadline())
                        + " (update.healthy_deadline): fix the appliance and run 'spew start' again, or 'spew rollback "
                        + appliance + "'");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpewException(ErrorCode.INTERNAL, "interrupted while rolling " + appliance);
            }
        }
    }

    private boolean healthy(String name) {
        try {
            return services.healthy(instances.apply(name));
        } catch (SpewException e) {
            return false;
        }
    }

    private String describe(String name) {
        try {
            Instance instance = instances.apply(name);
            return name + " (" + instance.state().toString().toLowerCase()
                    + (instance.state().isActive() ? ", " + instance.health() : "") + ")";
        } catch (SpewException e) {
            return name + " (missing)";
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() / 1000.0 + " s";
    }
}
