package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.SpewException;
import io.spew.appliance.Appliance;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code constraints:} of an appliance: read as a sorted map, merged through extends, explained. */
class ConstraintsParsingTest {
    @Test
    void readsLabelsAndTheRuntimeAndDefaultsToNone() {
        Appliance appliance = ApplianceParser.parse("a.yaml", """
                name: a
                constraints: { zone: west, runtime: nspawn }
                """).appliance();
        assertThat(appliance.constraints()).containsExactly(Map.entry("runtime", "nspawn"), Map.entry("zone", "west"));
        assertThat(ApplianceParser.parse("a.yaml", "name: a\n").appliance().constraints()).isEmpty();
    }

    @Test
    void aConstraintWithoutValueNamesFileLineAndColumn() {
        assertThatThrownBy(() -> ApplianceParser.parse("a.yaml", "name: a\nconstraints: { zone: }\n"))
                .isInstanceOf(SpewException.class).hasMessageStartingWith("a.yaml:2:");
    }

    @Test
    void anExtendingApplianceAddsToItsParentsConstraints() {
        Appliance base = ApplianceParser.parse("base.yaml", "name: base\nconstraints: { zone: west }\n").appliance();
        Appliance child = ApplianceParser.parse("child.yaml",
                "name: child\nextends: [base]\nconstraints: { disk: ssd }\n").appliance();
        ApplianceResolver resolver = new ApplianceResolver(Map.of("base", base, "child", child)::get);

        assertThat(resolver.resolve(child).appliance().constraints())
                .containsExactly(Map.entry("disk", "ssd"), Map.entry("zone", "west"));
        assertThat(resolver.resolve(child).explain()).anySatisfy(value -> {
            assertThat(value.key()).isEqualTo("constraints.zone");
            assertThat(value.appliance()).isEqualTo("base");
        });
    }
}
