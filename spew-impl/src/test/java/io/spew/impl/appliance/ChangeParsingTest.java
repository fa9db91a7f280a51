package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.ChangePolicy;
import io.spew.appliance.ChangePolicy.Action;
import io.spew.instance.Signal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code on_change:} of an appliance: both forms, the default, errors with file:line:column, extends. */
class ChangeParsingTest {
    @Test
    void readsTheShortAndTheLongForm() {
        assertThat(onChange("on_change: restart")).isEqualTo(new ChangePolicy(Action.RESTART, null));
        assertThat(onChange("on_change: none")).isEqualTo(new ChangePolicy(Action.NONE, null));
        assertThat(onChange("on_change: signal")).as("HUP unless told").isEqualTo(new ChangePolicy(Action.SIGNAL, Signal.SIGHUP));
        assertThat(onChange("on_change: { action: signal, signal: USR1 }"))
                .isEqualTo(new ChangePolicy(Action.SIGNAL, Signal.SIGUSR1));
        assertThat(onChange("on_change: { signal: SIGUSR2 }")).as("a signal alone means action signal")
                .isEqualTo(new ChangePolicy(Action.SIGNAL, Signal.SIGUSR2));
        assertThat(onChange("on_change: { action: none }")).isEqualTo(new ChangePolicy(Action.NONE, null));
    }

    @Test
    void theDefaultIsRestart() {
        assertThat(ApplianceParser.parse("a.yaml", "name: a\n").appliance().onChange())
                .isEqualTo(ChangePolicy.DEFAULT).isEqualTo(new ChangePolicy(Action.RESTART, null));
        assertThat(ChangePolicy.DEFAULT.describe()).isEqualTo("restart");
        assertThat(onChange("on_change: { signal: HUP }").describe()).isEqualTo("signal SIGHUP");
    }

    @Test
    void badValuesNameFileLineAndColumn() {
        assertError("on_change: reload", "a.yaml:2:12: on_change: unknown on_change action 'reload' (known: restart, signal, none)");
        assertError("on_change: { action: restart, signal: HUP }",
                "a.yaml:2:12: on_change: a signal (SIGHUP) is only sent with action 'signal', not 'restart'");
        assertError("on_change: { signal: NOPE }", "a.yaml:2:22: on_change: unknown signal 'NOPE'");
        assertError("on_change: { when: always }", "a.yaml:2:14: unknown key 'when' in 'on_change'");
        assertError("on_change: {}", "a.yaml:2:12: 'on_change' needs an 'action': restart, signal or none");
    }

    @Test
    void anExtendingApplianceTakesItsParentsPolicyUnlessItWritesOne() {
        Appliance base = ApplianceParser.parse("base.yaml", "name: base\non_change: { signal: HUP }\n").appliance();
        Appliance child = ApplianceParser.parse("child.yaml", "name: child\nextends: [base]\n").appliance();
        Appliance own = ApplianceParser.parse("own.yaml", "name: own\nextends: [base]\non_change: none\n").appliance();
        ApplianceResolver resolver = new ApplianceResolver(Map.of("base", base, "child", child, "own", own)::get);
        assertThat(resolver.resolve(child).appliance().onChange()).isEqualTo(new ChangePolicy(Action.SIGNAL, null));
        assertThat(resolver.resolve(own).appliance().onChange().action()).isEqualTo(Action.NONE);
        assertThat(resolver.resolve(child).explain()).anySatisfy(value -> {
            assertThat(value.key()).isEqualTo("on_change");
            assertThat(value.value()).isEqualTo("signal SIGHUP");
            assertThat(value.appliance()).isEqualTo("base");
        });
    }

    private static ChangePolicy onChange(String line) {
        return ApplianceParser.parse("a.yaml", "name: a\n" + line + "\n").appliance().onChange();
    }

    private static void assertError(String line, String expected) {
        assertThatThrownBy(() -> ApplianceParser.parse("a.yaml", "name: a\n" + line + "\n"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).startsWith(expected);
                });
    }
}
