package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.environment.DesiredEnvironment;
import io.spew.environment.PlanAction;
import io.spew.environment.PlanStep;
import io.spew.impl.environment.Convergence.Steps;
import io.spew.impl.environment.Convergence.Work;
import io.spew.instance.Instance;
import io.spew.instance.InstanceId;
import io.spew.instance.InstanceSpec;
import io.spew.instance.InstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A cluster host's share of a convergence ({@link Convergence#placed}): only what is placed on it. */
class PlacedStepsTest {
    private static final DesiredEnvironment WEB = new DesiredEnvironment("/srv/spew.yaml", "default",
            Map.of("web", 4), List.of("web"), Map.of(), Instant.EPOCH, Map.of());

    private static Instance instance(String name, InstanceState state) {
        InstanceSpec spec = new InstanceSpec(name, "web", Integer.parseInt(name.substring(4)), "shell",
                List.of("/bin/sleep", "1"), Map.of(), null, null, null);
        return new Instance(InstanceId.random(), spec, "this-host", state, "none", null, 0, null, Instant.EPOCH, null,
                null, null);
    }

    @Test
    void onlyTheInstancesPlacedHereStartAndThoseHereButPlacedElsewhereGo() {
        List<Instance> here = List.of(instance("web-1", InstanceState.RUNNING), instance("web-2", InstanceState.STOPPED),
                instance("web-3", InstanceState.RUNNING));
        Set<String> placedHere = Set.of("web-2", "web-4");

        Steps steps = Convergence.placed(Convergence.of(WEB, List.of(), here, null), WEB, here, placedHere::contains);

        assertThat(steps.starts().get("web")).extracting(Work::instance).containsExactly("web-2", "web-4");
        assertThat(steps.removals()).extracting(Work::instance).containsExactly("web-3", "web-1");
        assertThat(steps.removals().get(0).steps()).extracting(PlanStep::action)
                .containsExactly(PlanAction.STOP, PlanAction.REMOVE);
    }

    @Test
    void withNothingPlacedHereNothingStartsAndEverythingHereGoes() {
        List<Instance> here = List.of(instance("web-1", InstanceState.STOPPED), instance("web-9", InstanceState.RUNNING));

        Steps steps = Convergence.placed(Convergence.of(WEB, List.of(), here, null), WEB, here, name -> false);

        assertThat(steps.starts().get("web")).isEmpty();
        assertThat(steps.removals()).extracting(Work::instance).containsExactlyInAnyOrder("web-9", "web-1");
    }
}
