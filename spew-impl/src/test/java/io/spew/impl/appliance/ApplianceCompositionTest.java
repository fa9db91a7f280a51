package io.spew.impl.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.Spew;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.appliance.ExplainedValue;
import io.spew.impl.SpewEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code extends}, {@code --explain} and the config errors of appliance files, through the facade. */
class ApplianceCompositionTest {
    private static final String BASE = """
            name: base
            runtime: shell
            command: ["/bin/sh", "-c", "exec sleep 300"]
            env:
              A: from-base
              B: from-base
            options:
              port: "8000"
            stop: { signal: INT, timeout: 3s }
            """;
    private static final String MIDDLE = """
            name: middle
            extends: [base]
            env:
              B: from-middle
              C: "${port}"
            """;
    private static final String OTHER = """
            name: other
            command: [/bin/true]
            env: { D: from-other }
            """;
    private static final String LEAF = """
            name: leaf
            extends: [middle, other]
            env:
              A: from-leaf
            options:
              port: "9000"
            """;

    @TempDir
    Path data;

    private Spew spew;

    @BeforeEach
    void start() {
        spew = SpewEngine.builder().dataDirectory(data).start();
    }

    @AfterEach
    void close() {
        spew.close();
    }

    @Test
    void laterParentsWinMapsMergeListsReplaceAndOwnValuesWinOverAll() {
        spew.appliances().apply("base.yaml", BASE);
        spew.appliances().apply("middle.yaml", MIDDLE);
        spew.appliances().apply("other.yaml", OTHER);
        spew.appliances().apply("leaf.yaml", LEAF);

        Appliance stored = spew.appliances().get("leaf");
        assertThat(stored.parents()).containsExactly("middle", "other");
        assertThat(stored.env()).as("stored unresolved").containsOnlyKeys("A");

        Appliance leaf = spew.appliances().resolve("leaf");
        assertThat(leaf.runtime()).isEqualTo("shell");
        assertThat(leaf.command()).as("other's list replaces base's").containsExactly("/bin/true");
        assertThat(leaf.env()).isEqualTo(Map.of("A", "from-leaf", "B", "from-middle", "C", "${port}", "D", "from-other"));
        assertThat(leaf.options()).isEqualTo(Map.of("port", "9000"));
        assertThat(leaf.stop().timeout().toSeconds()).isEqualTo(3);
    }

    @Test
    void explainNamesTheApplianceAndFileLineColumnOfEachValueAcrossLevels() {
        spew.appliances().apply("base.yaml", BASE);
        spew.appliances().apply("middle.yaml", MIDDLE);
        spew.appliances().apply("other.yaml", OTHER);
        spew.appliances().apply("leaf.yaml", LEAF);

        Map<String, ExplainedValue> explained = spew.appliances().explain("leaf").stream()
                .collect(Collectors.toMap(ExplainedValue::key, Function.identity()));
        assertThat(explained.get("runtime")).isEqualTo(new ExplainedValue("runtime", "shell", "base", "base.yaml:2:10"));
        assertThat(explained.get("stop").appliance()).isEqualTo("base");
        assertThat(explained.get("stop").location()).isEqualTo("base.yaml:9:7");
        assertThat(explained.get("env.A")).isEqualTo(new ExplainedValue("env.A", "from-leaf", "leaf", "leaf.yaml:4:6"));
        assertThat(explained.get("env.B")).isEqualTo(new ExplainedValue("env.B", "from-middle", "middle", "middle.yaml:4:6"));
        assertThat(explained.get("env.C").location()).isEqualTo("middle.yaml:5:6");
        assertThat(explained.get("env.D")).isEqualTo(new ExplainedValue("env.D", "from-other", "other", "other.yaml:3:11"));
        assertThat(explained.get("command")).isEqualTo(new ExplainedValue("command", "[/bin/true]", "other", "other.yaml:2:10"));
        assertThat(explained.get("options.port")).isEqualTo(new ExplainedValue("options.port", "9000", "leaf", "leaf.yaml:6:9"));
        assertThat(spew.appliances().explain("base").stream().map(ExplainedValue::appliance).distinct().toList())
                .containsExactly("base");
    }

    @Test
    void aCycleIsAnErrorNamingItAndChangesNothing() {
        spew.appliances().apply("a.yaml", "name: a\ncommand: [/bin/true]\n");
        spew.appliances().apply("b.yaml", "name: b\nextends: [a]\n");
        assertRejected(() -> spew.appliances().apply("a2.yaml", "name: a\nextends: [b]\n"),
                "a2.yaml:2:10: extends cycle: a → b → a");
        assertThat(spew.appliances().get("a").parents()).as("unchanged").isEmpty();
        assertRejected(() -> spew.appliances().apply("self.yaml", "name: self\nextends: self\n"),
                "self.yaml:2:10: extends cycle: self → self");
    }

    @Test
    void aMissingParentIsAnErrorNamingItAndChangesNothing() {
        assertRejected(() -> spew.appliances().apply("web.yaml", "name: web\ncommand: [x]\nextends: [nosuch]\n"),
                "web.yaml:3:10: appliance web extends 'nosuch', which does not exist");
        assertThat(spew.appliances().list()).isEmpty();
    }

    @Test
    void configErrorsNameFileLineAndColumnAndChangeNothing() {
        assertRejected(() -> spew.appliances().apply("syntax.yaml", "name: web\ncommand: [unclosed\n"),
                "syntax.yaml:3:1: bad YAML");
        assertRejected(() -> spew.appliances().apply("unknown.yaml", "name: web\n  \nenv: {A: b}\ncolour: blue\n"),
                "unknown.yaml:4:1: unknown key 'colour' in an appliance (known: build, command, config, constraints, env, extends,");
        assertRejected(() -> spew.appliances().apply("type.yaml", "name: web\nenv: [a, b]\n"),
                "type.yaml:2:6: 'env' must be a mapping of keys to values, not a list");
        assertRejected(() -> spew.appliances().apply("type2.yaml", "name: web\nworkdir: {a: b}\n"),
                "type2.yaml:2:10: 'workdir' must be a single value, not a mapping");
        assertRejected(() -> spew.appliances().apply("ref.yaml", "name: web\ncommand: [echo, \"${nosuch}\"]\n"),
                "ref.yaml:2:17: ${nosuch} has no value");
        assertRejected(() -> spew.appliances().apply("stop.yaml", "name: web\nstop:\n  signal: NOPE\n"),
                "stop.yaml:3:11: stop:");
        assertRejected(() -> spew.appliances().apply("twice.yaml", "name: web\nenv: {A: b}\nenv: {A: c}\n"),
                "twice.yaml:3:1: key 'env' is written twice");
        assertThat(spew.appliances().list()).isEmpty();
    }

    @Test
    void applyAllTakesEveryApplianceOfAnEnvironmentFileOrNone() {
        List<Appliance> applied = spew.appliances().applyAll("spew.yaml", """
                appliances:
                  web: { extends: [base], env: { B: web } }
                  base: { runtime: shell, command: "exec sleep 1" }
                instances: { web: 2 }
                """);
        assertThat(applied).extracting(Appliance::name).containsExactly("web", "base");
        assertThat(spew.appliances().resolve("web").runtime()).isEqualTo("shell");
        assertThat(spew.instances().list()).as("counts are left alone").isEmpty();
        assertThat(spew.appliances().applyAll("one.yaml", "name: one\ncommand: [x]\n")).extracting(Appliance::name)
                .containsExactly("one");
        assertRejected(() -> spew.appliances().applyAll("bad.yaml", "appliances:\n  a: { command: x }\n  b: { extends: [c] }\n"),
                "bad.yaml:3:17: appliance b extends 'c', which does not exist");
        assertRejected(() -> spew.appliances().applyAll("inc.yaml", "include: [lib.yaml]\nappliances: {}\n"),
                "inc.yaml:1:1: 'include' is followed by 'spew start'");
        assertThat(spew.appliances().list()).extracting(Appliance::name).containsExactly("base", "one", "web");
    }

    @Test
    void referencesMayUseBuiltInNamesDefaultsAndInheritedOptions() {
        spew.appliances().apply("base.yaml", BASE);
        spew.appliances().apply("ok.yaml", """
                name: ok
                extends: [base]
                command: ["${instance.name}", "${instance.index}", "${instance.id}", "${host.name}", "${host.ip}",
                          "${env.HOME}", "${service.riak.addresses}", "${port}", "${missing:-default}", "$${literal}"]
                """);
        assertThat(spew.appliances().resolve("ok").command()).hasSize(10);
    }

    private static void assertRejected(Runnable action, String messageStart) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SpewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_APPLIANCE);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    @SuppressWarnings("unused")
    private static List<String> keys(List<ExplainedValue> values) {
        return values.stream().map(ExplainedValue::key).toList();
    }
}
