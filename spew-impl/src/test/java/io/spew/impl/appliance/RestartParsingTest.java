package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.instance.RestartPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartParsingTest {
    private static Appliance parse(String yaml) {
        return ApplianceParser.parse("a.yaml", yaml).appliance();
    }

    @Test
    void readsEveryKeyAndTheLimitWithItsWindow() {
        RestartPolicy restart = parse("""
                name: web
                restart: { policy: on-failure, initial: 2s, max: 1m, reset_after: 5m, limit: 5 within 10m, on_unhealthy: true }
                """).restart();
        assertThat(restart).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, Duration.ofSeconds(2),
                Duration.ofMinutes(1), Duration.ofMinutes(5), 5, Duration.ofMinutes(10), true));
    }

    @Test
    void aWordIsThePolicyWithDefaultsAndNothingIsNever() {
        assertThat(parse("name: web\nrestart: always\n").restart())
                .isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, null, null, null, 0, null, false));
        assertThat(parse("name: web\n").restart()).isEqualTo(RestartPolicy.NEVER);
        assertThat(parse("name: web\nrestart: { policy: always, limit: 3, within: 1m }\n").restart().within())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badValuesAreRefusedWithWhereTheyAre() {
        assertRefused("name: web\nrestart: sometimes\n", "a.yaml:2:10: restart: unknown restart policy 'sometimes'");
        assertRefused("name: web\nrestart: { initial: 1s }\n", "a.yaml:2:10: 'restart' needs a 'policy'");
        assertRefused("name: web\nrestart: { policy: always, limit: lots }\n", "a.yaml:2:35: restart: 'limit' must be");
        assertRefused("name: web\nrestart: { policy: always, initial: soon }\n", "a.yaml:2:37: restart.initial: not a duration");
        assertRefused("name: web\nrestart: { policy: always, initial: 5m, max: 1m }\n", "restart: restart max");
        assertRefused("name: web\nrestart: { policy: always, retries: 3 }\n", "retries");
    }

    @Test
    void anExtendingApplianceInheritsOrReplacesTheWholePolicy() {
        Appliance base = parse("name: base\nrestart: { policy: always, initial: 3s }\n");
        Appliance child = parse("name: child\nextends: [base]\n");
        Appliance own = parse("name: own\nextends: [base]\nrestart: never\n");
        Map<String, Appliance> byName = Map.of("base", base, "child", child, "own", own);
        ApplianceResolver resolver = new ApplianceResolver(byName::get);
        assertThat(resolver.resolve("child").appliance().restart().initial()).isEqualTo(Duration.ofSeconds(3));
        assertThat(resolver.resolve("own").appliance().restart()).isEqualTo(RestartPolicy.NEVER);
        assertThat(resolver.resolve("child").explain()).anySatisfy(value -> {
            assertThat(value.key()).isEqualTo("restart");
            assertThat(value.value()).startsWith("always, backoff 3000 ms to 300000 ms");
            assertThat(value.appliance()).isEqualTo("base");
        });
    }

    @Test
    void delaysDoubleUpToTheCapAndNeverOverflow() {
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ALWAYS, Duration.ofMillis(300),
                Duration.ofSeconds(5), null, 0, null, false);
        assertThat(policy.delay(1)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.delay(2)).isEqualTo(Duration.ofMillis(600));
        assertThat(policy.delay(5)).isEqualTo(Duration.ofMillis(4800));
        assertThat(policy.delay(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delay(64)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
