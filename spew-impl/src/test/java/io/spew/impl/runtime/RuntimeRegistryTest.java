package io.spew.impl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.runtime.noop.VoidRuntimeFactory;
import io.spew.runtime.shell.ShellRuntimeFactory;
import io.spew.spi.Probe;
import io.spew.spi.runtime.InstanceRuntime;
import io.spew.spi.runtime.InstanceRuntimeFactory;
import io.spew.spi.runtime.RuntimeContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeRegistryTest {
    /** A runtime that is never available here, with the highest priority. */
    private record Missing(String name, int spiVersion) implements InstanceRuntimeFactory {
        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Probe probe(RuntimeContext context) {
            return Probe.unavailable("tool-x not found: install package-x");
        }

        @Override
        public InstanceRuntime create(RuntimeContext context) {
            throw new AssertionError("never created");
        }
    }

    private static RuntimeRegistry registry(InstanceRuntimeFactory... factories) {
        return new RuntimeRegistry(RealRuntimeContext.CONTEXT, List.of(factories));
    }

    @Test
    void theServiceLoaderFindsShellAndVoid() {
        try (RuntimeRegistry registry = new RuntimeRegistry(RealRuntimeContext.CONTEXT)) {
            assertThat(registry.available()).containsExactly("shell", "void");
        }
    }

    @Test
    void withoutAChoiceTheHighestPriorityRuntimeWhoseProbePassesIsChosen() {
        RuntimeRegistry registry = registry(new VoidRuntimeFactory(), new Missing("fancy", 1), new ShellRuntimeFactory());
        assertThat(registry.choose(null)).isEqualTo("shell");
        assertThat(registry.available()).containsExactly("shell", "void");
    }

    @Test
    void anExplicitChoiceWins() {
        assertThat(registry(new ShellRuntimeFactory(), new VoidRuntimeFactory()).choose("void")).isEqualTo("void");
    }

    @Test
    void anUnavailableChoiceSaysWhy() {
        assertThatThrownBy(() -> registry(new Missing("fancy", 1)).choose("fancy"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("fancy").contains("install package-x");
                });
    }

    @Test
    void anUnknownChoiceListsTheKnownOnes() {
        assertThatThrownBy(() -> registry(new ShellRuntimeFactory()).choose("docker"))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
                    assertThat(e.getMessage()).contains("docker").contains("known: shell");
                });
    }

    @Test
    void whenNothingIsAvailableEveryCandidateSaysWhy() {
        assertThatThrownBy(() -> registry(new Missing("a", 1), new Missing("b", 1)).choose(null))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("a: tool-x not found").contains("b: tool-x not found");
                });
    }

    @Test
    void aFactoryBuiltForAnotherSpiVersionIsIgnored() {
        RuntimeRegistry registry = registry(new Missing("old", 0), new ShellRuntimeFactory());
        assertThat(registry.probes()).containsOnlyKeys("shell");
    }
}
