package io.spew.impl.template;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

/**
 * Renders {@code ${...}} with Commons Text: {@code ${name}}, {@code ${name:-default}}, and
 * {@code $${...}} for a literal. A name without a value is an error that names it.
 */
public final class TemplateRenderer {
    private static final Pattern UNDEFINED = Pattern.compile("Cannot resolve variable '(.*?)'");

    private final String what;
    private final StringSubstitutor substitutor;

    /** @param what what is rendered, for errors ("appliance web") */
    public TemplateRenderer(String what, TemplateValues values) {
        this(what, values, service -> { });
    }

    /**
     * @param what what is rendered, for errors ("appliance web")
     * @param serviceUsed told the name of each service whose {@code ${service.NAME.addresses}} is rendered
     */
    public TemplateRenderer(String what, TemplateValues values, Consumer<String> serviceUsed) {
        this.what = what;
        StringLookup lookup = name -> {
            String service = TemplateValues.serviceOf(name);
            if (service != null) {
                serviceUsed.accept(service);
            }
            return values.lookup(name);
        };
        this.substitutor = new StringSubstitutor(lookup).setEnableUndefinedVariableException(true);
    }

    private static String hint(String name) {
        if (name.startsWith("env.")) {
            return ": " + name.substring(4) + " is not set in the engine's environment (write ${" + name + ":-default})";
        }
        return ": it is neither instance.name|index|id, host.name|ip, env.NAME, service.NAME.addresses nor an option of the appliance"
                + " (declare it under 'options:' or pass --set " + name + "=VALUE)";
    }

    public String render(String text) {
        if (text == null) {
            return null;
        }
        try {
            return substitutor.replace(text);
        } catch (IllegalArgumentException e) {
            Matcher matcher = UNDEFINED.matcher(String.valueOf(e.getMessage()));
            String name = matcher.find() ? matcher.group(1) : text;
            throw new SpewException(ErrorCode.INVALID_APPLIANCE, what + ": ${" + name + "} has no value" + hint(name));
        }
    }

    public List<String> render(List<String> texts) {
        return texts.stream().map(this::render).toList();
    }

    public Map<String, String> render(Map<String, String> texts) {
        Map<String, String> rendered = new TreeMap<>();
        texts.forEach((key, value) -> rendered.put(key, render(value)));
        return rendered;
    }
}
