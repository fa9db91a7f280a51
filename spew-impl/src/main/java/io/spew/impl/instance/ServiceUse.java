package io.spew.impl.instance;

import static java.util.Objects.requireNonNull;

import io.spew.appliance.Appliance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an instance that uses services was made from, kept beside its state ({@code services.json}) so
 * that it can be rendered again when their addresses change: the resolved appliance, the run's
 * settings, and the variables {@code SPEW_SERVICE_<NAME>_ADDRS} of the services it uses (named through
 * {@code ${service.NAME.addresses}} in its values or template files, or by variable in its values).
 *
 * @param appliance the resolved appliance it was made from
 * @param settings the run's {@code --set} values
 * @param variables the variables of the services it uses, sorted
 */
record ServiceUse(Appliance appliance, SortedMap<String, String> settings, List<String> variables) {
    private static final Pattern VARIABLE = Pattern.compile("SPEW_SERVICE_[A-Z0-9_]+_ADDRS");

    ServiceUse {
        requireNonNull(appliance, "appliance is null");
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
        variables = List.copyOf(new TreeSet<>(variables));
    }

    /** The variables {@code SPEW_SERVICE_<NAME>_ADDRS} named in an appliance's command, env, config and workdir. */
    static Set<String> variablesIn(Appliance appliance) {
        List<String> texts = new ArrayList<>(appliance.command());
        texts.addAll(appliance.env().values());
        texts.addAll(appliance.config().values());
        if (appliance.workdir() != null) {
            texts.add(appliance.workdir());
        }
        Set<String> variables = new TreeSet<>();
        for (String text : texts) {
            Matcher matcher = VARIABLE.matcher(text);
            while (matcher.find()) {
                variables.add(matcher.group());
            }
        }
        return variables;
    }

    /** The value of each variable it uses in {@code env} ("" for one missing). */
    Map<String, String> valuesIn(Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        variables.forEach(variable -> values.put(variable, env.getOrDefault(variable, "")));
        return values;
    }
}
