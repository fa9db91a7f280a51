package io.spew.environment;

import java.util.Locale;

/** What one step of a plan does. */
public enum PlanAction {
    /** Applies an appliance that is new or changed. */
    APPLY,
    /** Creates an instance. */
    CREATE,
    /** Starts an instance. */
    START,
    /** Stops an instance. */
    STOP,
    /** Removes an instance. */
    REMOVE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
