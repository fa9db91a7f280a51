package io.spew.appliance;

import static java.util.Objects.requireNonNull;

/**
 * One resolved value of an appliance and where it came from ({@code spew appliance show NAME --explain}).
 *
 * @param key the value's key: {@code runtime}, {@code command}, {@code env.NAME}, {@code options.NAME}, …
 * @param value the value as text
 * @param appliance the appliance that set it, or null for a default
 * @param location {@code file:line:column} where it was written, or null when unknown
 */
public record ExplainedValue(String key, String value, String appliance, String location) {
    public ExplainedValue {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
