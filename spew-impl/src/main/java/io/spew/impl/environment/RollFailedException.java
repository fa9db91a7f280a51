package io.spew.impl.environment;

import io.spew.ErrorCode;
import io.spew.SpewException;

/**
 * A roll that stopped because new instances did not become healthy in time; says which appliance.
 * Other failures (an engine closing) leave the roll recorded, to go on with.
 */
final class RollFailedException extends SpewException {
    private static final long serialVersionUID = 1L;

    private final String appliance;

    RollFailedException(String appliance, String message) {
        super(ErrorCode.START_FAILED, message);
        this.appliance = appliance;
    }

    String appliance() {
        return appliance;
    }
}
