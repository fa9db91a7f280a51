package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.environment.DesiredEnvironment;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.environment.StartOptions;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.impl.environment.Convergence.Work;
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
import java.util.stream.Collectors;

/**
 * Carries out the steps of a convergence: removals first, then each appliance once those it
 * requires run and are healthy. The instances of an appliance start together (a few at a time),
 * except those of an appliance that offers services: they start one by one, each once the one
 * before is healthy, so that members find those before them through {@code ${service...}}.
 */
final class Converger {
    private static final int PARALLELISM = 8;
    private static final long POLL_MILLIS = 50;

    private final Instances instances;
    private final ServiceAddresses services;

    Converger(Instances instances, ServiceAddresses services) {
        this.instances = instances;
        this.services = services;
    }

    /** @param made told of each instance made, from any thread */
    void converge(DesiredEnvironment desired, Steps steps, StartOptions options, Consumer<Work> made) {
        remove(steps.removals());
        for (Map.Entry<String, List<Work>> entry : steps.starts().entrySet()) {
            String appliance = entry.getKey();
            for (String required : desired.requires().getOrDefault(appliance, List.of())) {
                awaitHealthy(desired, required, options.requiresTimeout(),
                        "appliance " + appliance + " requires " + required + ", but ");
            }
            boolean offersServices = !entry.getValue().isEmpty()
                    && !services.offeredBy(appliance).isEmpty();
            if (offersServices) {
                for (Work work : entry.getValue()) {
                    Instance started = start(work, made);
                    awaitHealthy(List.of(started.name()), options.requiresTimeout(), "");
                }
            } else {
                parallel(entry.getValue(), work -> start(work, made));
            }
        }
        if (options.waitHealthy()) {
            for (String appliance : desired.order()) {
                awaitHealthy(desired, appliance, options.requiresTimeout(), "");
            }
        }
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

    private Instance start(Work work, Consumer<Work> made) {
        if (work.steps().stream().anyMatch(step -> step.action() == PlanAction.REMOVE)) {
            if (instances.get(work.instance()).state().isActive()) {
                instances.stop(work.instance());
            }
            instances.remove(work.instance());
        }
        boolean create = work.steps().stream().anyMatch(step -> step.action() == PlanAction.CREATE);
        if (create) {
            Instance instance = instances.run(new RunRequest(work.appliance(), work.instance(), null));
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

    private interface Action<T> {
        T run(Work work);
    }

    private static <T> void parallel(List<Work> works, Action<T> action) {
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
