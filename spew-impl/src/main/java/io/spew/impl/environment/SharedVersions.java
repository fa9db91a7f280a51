package io.spew.impl.environment;

import io.spew.environment.ApplianceVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The versions of one appliance as a cluster keeps them, in its {@link SharedEnvironment}: the same on every
 * host. Each host keeps a copy ({@link ApplianceHistory}) and rolls its own instances to the last version.
 *
 * @param versions oldest first; the last is what every host rolls the appliance's instances to
 * @param canaries whether the roll to the last stops after the update policy's canaries, until promoted
 * @param restarts how many rolling restarts were asked ({@code spew restart APPLIANCE}): a host that did fewer
 *     restarts its instances of the appliance
 */
record SharedVersions(List<ApplianceVersion> versions, boolean canaries, long restarts) {
    static final SharedVersions NONE = new SharedVersions(List.of(), false, 0);

    SharedVersions {
        versions = List.copyOf(versions == null ? List.of() : versions);
    }

    ApplianceVersion latest() {
        return versions.get(versions.size() - 1);
    }

    /** With a version numbered after the last, rolled to with or without canaries. */
    SharedVersions adding(ApplianceVersion unnumbered, boolean withCanaries) {
        List<ApplianceVersion> more = new ArrayList<>(versions);
        more.add(ApplianceHistory.numbered(unnumbered, versions.isEmpty() ? 1 : latest().version() + 1));
        return new SharedVersions(more, withCanaries, restarts);
    }

    /** With an older version applied again as a new one (a rollback), rolled to without canaries. */
    SharedVersions rollingBackTo(ApplianceVersion older, String by) {
        return adding(new ApplianceVersion(1, older.fingerprint(), older.resolved(), older.applied(), older.templates(),
                Instant.now(), by, "rollback to " + older.version()), false);
    }

    /** The same, its roll let go on past its canaries. */
    SharedVersions promoted() {
        return new SharedVersions(versions, false, restarts);
    }

    /** The same, with one more rolling restart asked. */
    SharedVersions restarted() {
        return new SharedVersions(versions, canaries, restarts + 1);
    }
}
