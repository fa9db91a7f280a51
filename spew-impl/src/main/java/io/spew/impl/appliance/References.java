package io.spew.impl.appliance;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${...}} names of values, and whether an appliance can give each one a value:
 * {@code instance.name|index|id}, {@code host.name|ip}, {@code env.NAME},
 * {@code service.NAME.addresses}, or one of its options. Names written with a default
 * ({@code ${name:-default}}) always have one.
 */
public final class References {
    private static final Pattern PLACEHOLDER = Pattern.compile("(\\$*)\\$\\{([^}]*)}");
    private static final Pattern BUILT_IN = Pattern.compile(
            "instance\\.(name|index|id|files)|host\\.(name|ip)|env\\.[A-Za-z_][A-Za-z0-9_]*|service\\.[a-z0-9][a-z0-9_.-]*\\.addresses");

    private References() {}

    /** The names {@code text} uses without a default; {@code $${...}} is a literal. */
    public static List<String> in(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).length() % 2 == 1) {
                continue; // escaped
            }
            String body = matcher.group(2);
            if (!body.contains(":-")) {
                names.add(body);
            }
        }
        return names;
    }

    /** The names a file's text uses without a default, each at its own {@code source:line:column}. */
    public static List<Reference> located(String source, String text) {
        List<Reference> references = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).length() % 2 == 1 || matcher.group(2).contains(":-")) {
                continue;
            }
            int start = matcher.start() + matcher.group(1).length();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < start; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            references.add(new Reference(matcher.group(2), source + ":" + line + ":" + (start - lineStart + 1)));
        }
        return references;
    }

    /** Throws {@code INVALID_APPLIANCE} at the first reference neither built in nor an option. */
    public static void check(String appliance, Collection<Reference> references, Collection<String> options) {
        for (Reference reference : references) {
            String name = reference.name();
            if (BUILT_IN.matcher(name).matches() || options.contains(name)) {
                continue;
            }
            String hint = name.startsWith("service.")
                    ? "write ${service.NAME.addresses}"
                    : "it is neither instance.name|index|id, host.name|ip, env.NAME, service.NAME.addresses nor an option"
                            + " of appliance " + appliance + (options.isEmpty() ? "" : " (options: " + String.join(", ", options) + ")")
                            + ": declare it under 'options:' or write ${" + name + ":-default}";
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, reference.location() + ": ${" + name + "} has no value: " + hint);
        }
    }
}
