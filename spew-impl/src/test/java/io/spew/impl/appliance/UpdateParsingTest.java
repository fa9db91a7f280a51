package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.UpdatePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code update:} of an appliance: values, defaults, errors with file:line:column, extends. */
class UpdateParsingTest {
    @Test
    void readsEveryKeyAndDefaultsTheRest() {
        Appliance appliance = ApplianceParser.parse("a.yaml", """
                name: a
                update: { max_parallel: 2, min_healthy_time: 10s, healthy_deadline: 5m, canary: 1, auto_revert: true, keep_data: false }
                """).appliance();
        assertThat(appliance.update()).isEqualTo(new UpdatePolicy(2, Duration.ofSeconds(10), Duration.ofMinutes(5), 1,
                true, false));
        assertThat(ApplianceParser.parse("a.yaml", "name: a\n").appliance().update()).isEqualTo(UpdatePolicy.DEFAULT);
        assertThat(UpdatePolicy.DEFAULT).isEqualTo(new UpdatePolicy(1, Duration.ZERO, Duration.ofMinutes(5), 0, false, true));
        assertThat(ApplianceParser.parse("a.yaml", "name: a\nupdate: { canary: 2 }\n").appliance().update())
                .isEqualTo(new UpdatePolicy(1, null, null, 2, false, true));
    }

    @Test
    void badValuesNameFileLineAndColumn() {
        assertError("update: { parallel: 2 }", "a.yaml:2:11: unknown key 'parallel' in 'update'");
        assertError("update: { max_parallel: 0 }", "a.yaml:2:9: update: max_parallel must be at least 1, not 0");
        assertError("update: { max_parallel: many }", "a.yaml:2:25: 'update.max_parallel' must be a count");
        assertError("update: { min_healthy_time: soon }", "a.yaml:2:29: update.min_healthy_time: ");
        assertError("update: { auto_revert: yes please }", "a.yaml:2:24: update: 'auto_revert' must be true or false");
        assertError("update: { min_healthy_time: 10m, healthy_deadline: 1m }",
                "a.yaml:2:9: update: healthy_deadline (PT1M) is shorter than min_healthy_time (PT10M)");
    }

    @Test
    void anExtendingApplianceTakesItsParentsUpdatePolicyUnlessItWritesOne() {
        Appliance base = ApplianceParser.parse("base.yaml", "name: base\nupdate: { max_parallel: 3 }\n").appliance();
        Appliance child = ApplianceParser.parse("child.yaml", "name: child\nextends: [base]\n").appliance();
        Appliance own = ApplianceParser.parse("own.yaml", "name: own\nextends: [base]\nupdate: { canary: 1 }\n")
                .appliance();
        ApplianceResolver resolver = new ApplianceResolver(Map.of("base", base, "child", child, "own", own)::get);
        assertThat(resolver.resolve(child).appliance().update().maxParallel()).isEqualTo(3);
        assertThat(resolver.resolve(own).appliance().update()).isEqualTo(new UpdatePolicy(1, null, null, 1, false, true));
        assertThat(resolver.resolve(child).explain()).anySatisfy(value -> {
            assertThat(value.key()).isEqualTo("update");
            assertThat(value.value()).startsWith("3 at a time");
            assertThat(value.appliance()).isEqualTo("base");
        });
    }

    private static void assertError(String line, String expected) {
        assertThatThrownBy(() -> ApplianceParser.parse("a.yaml", "name: a\n" + line + "\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith(expected);
                });
    }
}
