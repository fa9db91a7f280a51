package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of config {@code ports}: {@code HOST:CONTAINER}, or {@code FIRST-LAST:CONTAINER} for an
 * appliance with several instances, where the instance of index {@code i} publishes {@code FIRST + i - 1}.
 *
 * @param first the first host port
 * @param last the last host port ({@code first} for a single port)
 * @param container the port in the container
 */
record PublishedPort(int first, int last, int container) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?:(\\d{1,5})");

    PublishedPort {
        if (first < 1 || last > 65535 || last < first || container < 1 || container > 65535) {
            throw new IllegalArgumentException("ports out of 1..65535 or a reversed range");
        }
    }

    /** Parses the comma-separated entries of config {@code ports}. */
    static List<PublishedPort> parseAll(String value) {
        List<PublishedPort> ports = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return ports;
        }
        for (String item : value.split(",")) {
            Matcher matcher = FORMAT.matcher(item.trim());
            try {
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("no match");
                }
                int first = Integer.parseInt(matcher.group(1));
                int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
                ports.add(new PublishedPort(first, last, Integer.parseInt(matcher.group(3))));
            } catch (IllegalArgumentException e) {
                throw new SpewException(ErrorCode.INVALID_APPLIANCE, "runtime nspawn: ports takes HOST:CONTAINER or"
                        + " FIRST-LAST:CONTAINER with ports in 1..65535, not '" + item.trim() + "'");
            }
        }
        return ports;
    }

    /** The host port of the instance with that index (1-based); throws {@code START_FAILED} past the range. */
    int hostPort(String instance, int index) {
        if (first == last) {
            return first;
        }
        if (index < 1 || first + index - 1 > last) {
            throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + " has index " + index + " but ports "
                    + this + " publish " + (last - first + 1) + " ports: widen the range");
        }
        return first + index - 1;
    }

    @Override
    public String toString() {
        return (first == last ? Integer.toString(first) : first + "-" + last) + ":" + container;
    }
}
