package io.spew.environment;

import java.util.List;

/**
 * Environment files ({@code spew.yaml}): appliances, instance counts, and named environments that
 * change counts only. Errors in a file throw {@code INVALID_APPLIANCE} with {@code file:line:column}
 * and change nothing.
 */
public interface Environments {
    /**
     * What {@link #start} would do; changes nothing.
     *
     * @param environment a name under {@code environments:}, or null for the file's own counts
     */
    Plan plan(EnvironmentFiles files, String environment);

    /**
     * Applies the file's appliances, keeps the counts as the desired state, and converges: creates and
     * starts the missing instances {@code <appliance>-<index>} in {@code requires} order, starts those
     * that ended, and stops then removes those of the highest indexes beyond the counts. Idempotent.
     * Returns the steps it took.
     */
    Plan start(EnvironmentFiles files, String environment, StartOptions options);

    /**
     * Stops the instances of the file's appliances in reverse {@code requires} order (removing them
     * too when {@code remove}), and forgets the desired state. Returns the steps it took. When the
     * file's text is blank (the file is gone) and it was started, what was started from it stops.
     */
    Plan stop(EnvironmentFiles files, String environment, boolean remove);

    /** The desired state of every environment file started, sorted by file. */
    List<DesiredEnvironment> list();
}
