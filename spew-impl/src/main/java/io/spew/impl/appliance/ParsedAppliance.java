package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

import io.spew.appliance.Appliance;
import java.util.List;

/**
 * An appliance as read from a file, with the {@code ${...}} names its values use (those without a
 * default) and where, to check them once what it extends is known.
 */
public record ParsedAppliance(Appliance appliance, List<Reference> references) {
    public ParsedAppliance {
        requireNonNull(appliance, "appliance is null");
        references = List.copyOf(references);
    }
}
