package io.spew.environment;

import static java.util.Objects.requireNonNull;

import io.spew.appliance.Appliance;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of an appliance an environment ran, as {@code spew history} lists them: a new version
 * is kept each time {@code spew start} (or a rollback) changes what its instances are made from.
 *
 * @param version its number, from 1
 * @param fingerprint what its instances are made from: its resolved values and template files, hashed
 * @param resolved the appliance resolved ({@code extends} applied): its build, env, command and options
 * @param applied the appliance as it was applied, unresolved: what a rollback applies again
 * @param templates its template files, by path relative to {@code templates/<appliance>/}
 * @param at when it was made
 * @param by who made it (the user the engine runs as, or the one the API was told of)
 * @param note why it was made: {@code start}, {@code rollback to 2}, {@code revert of 3}
 */
public record ApplianceVersion(int version, String fingerprint, Appliance resolved, Appliance applied,
        Map<String, String> templates, Instant at, String by, String note) {
    public ApplianceVersion {
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1: " + version);
        }
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(resolved, "resolved is null");
        requireNonNull(applied, "applied is null");
        templates = Collections.unmodifiableSortedMap(new TreeMap<>(templates == null ? Map.of() : templates));
        requireNonNull(at, "at is null");
        requireNonNull(by, "by is null");
        requireNonNull(note, "note is null");
    }
}
