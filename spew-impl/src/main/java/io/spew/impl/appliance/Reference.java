package io.spew.impl.appliance;

import static java.util.Objects.requireNonNull;

/**
 * A {@code ${name}} written without a default.
 *
 * @param name the name
 * @param location {@code file:line:column} of the value that holds it
 */
public record Reference(String name, String location) {
    public Reference {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
    }
}
