package io.spew.environment;

import static java.util.Objects.requireNonNull;

/**
 * One step of a plan.
 *
 * @param action what it does
 * @param target the appliance or instance it acts on
 * @param detail a word on why ("new", "changed", "stopped", "scale 8 → 3"), or null
 */
public record PlanStep(PlanAction action, String target, String detail) {
    public PlanStep {
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
    }
}
