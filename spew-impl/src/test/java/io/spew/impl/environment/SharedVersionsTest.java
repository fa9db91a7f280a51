package io.spew.impl.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.appliance.Appliance;
import io.spew.environment.ApplianceVersion;
import io.spew.environment.EnvironmentFiles;
import io.spew.impl.environment.HostRolls.HostRoll;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The versions of an appliance as a cluster keeps them, and what hosts tell of their rolls. */
class SharedVersionsTest {
    private static final Instant AT = Instant.parse("2026-05-01T12:00:00Z");

    private static ApplianceVersion unnumbered(String release, String by) {
        Appliance web = new Appliance("web", "shell", null, List.of("/bin/true"), Map.of("RELEASE", release), null,
                null, null, null, null);
        return new ApplianceVersion(1, "fingerprint-" + release, web, web, Map.of(), AT, by, "start");
    }

    @Test
    void versionsAreNumberedInTurnAndARollbackAddsTheOlderOneAgainWithoutCanaries() {
        SharedVersions versions = SharedVersions.NONE.adding(unnumbered("1", "ann"), true)
                .adding(unnumbered("2", "bob"), true);
        assertThat(versions.versions()).extracting(ApplianceVersion::version).containsExactly(1, 2);
        assertThat(versions.canaries()).isTrue();

        SharedVersions back = versions.rollingBackTo(ApplianceHistory.rollbackTarget("web", versions.versions(), null),
                "cat");

        assertThat(back.latest().version()).isEqualTo(3);
        assertThat(back.latest().note()).isEqualTo("rollback to 1");
        assertThat(back.latest().by()).isEqualTo("cat");
        assertThat(back.latest().fingerprint()).isEqualTo("fingerprint-1");
        assertThat(back.canaries()).as("a rollback rolls without canaries").isFalse();
        assertThat(back.versions().subList(0, 2)).isEqualTo(versions.versions());
    }

    @Test
    void aPromotionEndsTheCanariesAndARestartCountsOneMore() {
        SharedVersions versions = SharedVersions.NONE.adding(unnumbered("1", "ann"), true);
        assertThat(versions.promoted().canaries()).isFalse();
        assertThat(versions.restarted().restarts()).isEqualTo(1);
        assertThat(versions.restarted().restarted().versions()).isEqualTo(versions.versions());
    }

    @Test
    void aRollbackNeedsAVersionBeforeOrTheOneNamed() {
        List<ApplianceVersion> one = SharedVersions.NONE.adding(unnumbered("1", "ann"), true).versions();
        assertThatThrownBy(() -> ApplianceHistory.rollbackTarget("web", one, null))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("no version before version 1");
        assertThatThrownBy(() -> ApplianceHistory.rollbackTarget("web", one, 7))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("has no version 7 (versions: 1 to 1)");
    }

    @Test
    void anEnvironmentKeepsItsVersionsInTheReplicatedStateAndOneWrittenBeforeThemHasNone() {
        EnvironmentFiles files = new EnvironmentFiles("/srv/spew.yaml", Map.of("/srv/spew.yaml", "instances: {}"));
        SharedEnvironment shared = new SharedEnvironment(files, null, List.of(), Map.of(), AT, "ann", false, false,
                Map.of(), Map.of()).withVersions("web", SharedVersions.NONE.adding(unnumbered("1", "ann"), true));

        SharedEnvironment read = SharedEnvironment.decode(shared.encode());

        assertThat(read.versions().get("web")).isEqualTo(shared.versions().get("web"));
        String before = shared.encode().replaceAll(",\"versions\":\\{.*}}$", "}");
        assertThat(before).doesNotContain("versions");
        assertThat(SharedEnvironment.decode(before).versions()).isEmpty();
        HostRoll roll = new HostRoll(3, 1, HostRolls.Phase.PAUSED, null);
        assertThat(SharedEnvironment.read(SharedEnvironment.write(roll), HostRoll.class)).isEqualTo(roll);
    }
}
