package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.UpdatePolicy;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.environment.StartOptions;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.impl.environment.Convergence.Work;
import io.spew.impl.environment.RollProgressListeners.Versions;
import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.instance.Instances;
import io.spew.instance.RunRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Carries out the steps of a convergence: removals first, then each appliance once those it
 * requires run and are healthy. The instances of an appliance start together (a few at a time),
 * except those of an appliance that offers services: they start one by one, each once the one
 * before is healthy, so that members find those before them through {@code ${service...}}. The
 * instances of a changed appliance are replaced by a {@link Roll}, under its update policy.
 */
final class Converger {
    private static final int PARALLELISM = 8;
    private static final long POLL_MILLIS = 50;

    private final Instances instances;
    private final ServiceAddresses services;
    private final Function<String, UpdatePolicy> policies;
    private final RollProgressListeners listener;
    private final WritableLayers layers;

    /** @param policies the update policy of an appliance as stored now */
    Converger(Instances instances, ServiceAddresses services, Function<String, UpdatePolicy> policies,
            RollProgressListeners listener, WritableLayers layers) {
        this.instances = instances;
        this.services = services;
        this.policies = policies;
        this.listener = listener;
        this.layers = layers;
    }

    /**
     * Replaces the instances of a changed appliance by a {@link Roll} under its update policy.
     *
     * @param made told of each instance made, from any thread
     * @param canaries whether the roll of an appliance stops after the policy's canaries
     * @param versions the versions the roll of an appliance goes from and to
     * @return the appliances whose roll waits for a promotion
     */
    List<String> converge(DesiredEnvironment desired, Steps steps, StartOptions options, Consumer<Work> made,
            Predicate<String> canaries, Function<String, Versions> versions) {
        remove(steps.removals());
        List<String> paused = new ArrayList<>();
        Roll roll = new Roll(services, instances::get, this::replace, listener);
        for (Map.Entry<String, List<Work>> entry : steps.starts().entrySet()) {
            String appliance = entry.getKey();
            for (String required : desired.requires().getOrDefault(appliance, List.of())) {
                awaitHealthy(desired, required, options.requiresTimeout(),
                        "appliance " + appliance + " requires " + required + ", but ");
            }
            List<Work> replacements = entry.getValue().stream().filter(Converger::replaces).toList();
            List<Work> others = entry.getValue().stream().filter(work -> !replaces(work)).toList();
            boolean offersServices = !others.isEmpty()
                    && !services.offeredBy(appliance).isEmpty();
            if (offersServices) {
                for (Work work : others) {
                    Instance started = start(work, made);
                    awaitHealthy(List.of(started.name()), options.requiresTimeout(), "");
                }
            } else {
                parallel(others, work -> start(work, made));
            }
            if (!replacements.isEmpty()) {
                int total = desired.counts().getOrDefault(appliance, 0);
                Roll.Outcome outcome = roll.roll(appliance, versions.apply(appliance), replacements, total,
                        total - replacements.size(), policies.apply(appliance), canaries.test(appliance), made);
                if (outcome == Roll.Outcome.PAUSED) {
                    paused.add(appliance);
                }
            }
        }
        if (options.waitHealthy()) {
            for (String appliance : desired.order()) {
                if (!paused.contains(appliance)) {
                    awaitHealthy(desired, appliance, options.requiresTimeout(), "");
                }
            }
        }
        return paused;
    }

    /** Restarts instances of an appliance under its update policy, as a roll without a change. */
    void restart(String appliance, Versions versions, List<Instance> running, int total, UpdatePolicy policy) {
        List<Work> works = running.stream().map(instance -> new Work(appliance, instance.name(), 0,
                List.of(new PlanStep(PlanAction.START, instance.name(), "restart")))).toList();
        Roll roll = new Roll(services, instances::get, work -> instances.restart(work.instance()), listener);
        roll.roll(appliance, versions, works, total, total - works.size(), policy, false, work -> { });
    }

    private static boolean replaces(Work work) {
        return work.steps().stream().anyMatch(step -> step.action() == PlanAction.REMOVE);
    }

    void remove(List<Work> works) {
        // one appliance after the other, in the order given; the instances of each together
        Map<String, List<Work>> byAppliance = new LinkedHashMap<>();
        works.forEach(work -> byAppliance.computeIfAbsent(work.appliance(), a -> new ArrayList<>()).add(work));
        for (List<Work> group : byAppliance.values()) {
            parallel(group, work -> {
                for (PlanStep step : work.steps()) {
                    if (step.action() == PlanAction.STOP) {
                        instances.stop(work.instance());
                    } else if (step.action() == PlanAction.REMOVE) {
                        instances.remove(work.instance());
                    }
                }
                return null;
            });
        }
    }

    /**
     * Replaces an instance by one made from its appliance as stored now; with {@code update.keep_data}
     * the new one gets the old one's writable layer.
     */
    private Instance replace(Work work) {
        String name = work.instance();
        boolean keep = policies.apply(work.appliance()).keepData();
        Instance old = null;
        try {
            old = instances.get(name);
        } catch (SpewException e) {
            // gone already (an engine stopped halfway through a replacement): make it anew
        }
        if (old != null) {
            if (old.state().isActive()) {
                instances.stop(name);
            }
            if (keep) {
                layers.setAside(name, old.id().value());
            }
            instances.remove(name);
        }
        Instance created = instances.create(new RunRequest(work.appliance(), name, null));
        if (keep) {
            layers.restore(name, created.id().value());
        }
        return instances.start(name);
    }

    private Instance start(Work work, Consumer<Work> made) {
        if (work.steps().stream().anyMatch(step -> step.action() == PlanAction.REMOVE)) {
            if (instances.get(work.instance()).state().isActive()) {
                instances.stop(work.instance());
            }
            instances.remove(work.instance());
        }
        boolean create = work.steps().stream().anyMatch(step -> step.action() == PlanAction.CREATE);
        if (create) {
            Instance instance;
            if (layers.hasKept(work.instance())) {
                // an engine stopped between the removal and the creation of a replacement: its layer waits
                Instance created = instances.create(new RunRequest(work.appliance(), work.instance(), null));
                layers.restore(work.instance(), created.id().value());
                instance = instances.start(work.instance());
            } else {
                instance = instances.run(new RunRequest(work.appliance(), work.instance(), null));
            }
            made.accept(work);
            return instance;
        }
        return instances.start(work.instance());
    }

    private void awaitHealthy(DesiredEnvironment desired, String appliance, Duration timeout, String prefix) {
        List<String> names = new ArrayList<>();
        for (int index = 1; index <= desired.counts().getOrDefault(appliance, 0); index++) {
            names.add(appliance + "-" + index);
        }
        awaitHealthy(names, timeout, prefix);
    }

    private void awaitHealthy(List<String> names, Duration timeout, String prefix) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting = new ArrayList<>(names);
        while (true) {
            waiting.removeIf(name -> {
                try {
                    return services.healthy(instances.get(name));
                } catch (SpewException e) {
                    return false;
                }
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String states = waiting.stream().map(this::describe).collect(Collectors.joining(", "));
                throw timeout(prefix + states + (waiting.size() == 1 ? " was" : " were")
                        + " not running and healthy", timeout);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpewException(ErrorCode.INTERNAL, "interrupted while waiting for " + String.join(", ", waiting));
            }
        }
    }

    private static SpewException timeout(String what, Duration timeout) {
        return new SpewException(ErrorCode.START_FAILED, what + " within " + timeout.toMillis() / 1000.0 + " s");
    }

    private String describe(String name) {
        try {
            Instance instance = instances.get(name);
            return name + " (" + instance.state().toString().toLowerCase()
                    + (instance.state().isActive() ? ", not healthy" : "") + ")";
        } catch (SpewException e) {
            return name + " (missing)";
        }
    }

    interface Action<T> {
        T run(Work work);
    }

    static <T> void parallel(List<Work> works, Action<T> action) {
        if (works.isEmpty()) {
            return;
        }
        if (works.size() == 1) {
            action.run(works.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, works.size()), runnable -> {
            Thread thread = new Thread(runnable, "spew-converge");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Work work : works) {
                futures.add(pool.submit(() -> action.run(work)));
            }
            SpewException first = null;
            for (Future<T> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof SpewException spew ? spew
                                : new SpewException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SpewException(ErrorCode.INTERNAL, "interrupted while converging");
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdown();
        }
    }
}
