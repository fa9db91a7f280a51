package io.spew.cli;

import io.spew.environment.Plan;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Plans as text: a heading, one line per step, and a count of each action. */
final class PlanText {
    private PlanText() {}

    static void print(PrintWriter out, Plan plan, String nothing) {
        String counts = plan.counts().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        out.println(plan.file() + ", environment " + plan.environment() + (counts.isEmpty() ? "" : ": " + counts));
        if (plan.steps().isEmpty()) {
            out.println(nothing);
            out.flush();
            return;
        }
        Table table = new Table("ACTION", "TARGET", "DETAIL");
        Map<PlanAction, Integer> totals = new EnumMap<>(PlanAction.class);
        for (PlanStep step : plan.steps()) {
            table.add(step.action(), step.target(), step.detail() == null ? "" : step.detail());
            totals.merge(step.action(), 1, Integer::sum);
        }
        table.print(out, "  ");
        out.println(totals.entrySet().stream().map(e -> e.getValue() + " to " + e.getKey())
                .collect(Collectors.joining(", ")));
        out.flush();
    }
}
