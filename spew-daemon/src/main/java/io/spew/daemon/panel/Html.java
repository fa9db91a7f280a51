package io.spew.daemon.panel;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small HTML writer that escapes by construction: every text and every attribute value goes
 * through {@link #escape}, tag and attribute names must be plain lower-case words written in the
 * code, and URL attributes ({@code href}, {@code action}, {@code src}) only take paths of this
 * server built by {@link #path}. There is no way to write raw markup, so nothing a log line, a
 * name or an env value holds can become markup or script. Control characters (an ANSI escape's
 * ESC, say) are shown as visible symbols.
 */
final class Html {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "action", "src");
    private static final Set<String> VOID_ELEMENTS = Set.of("meta", "link", "input", "br", "hr", "img");
    private static final Set<String> FORBIDDEN_ELEMENTS = Set.of("script", "style", "iframe", "object", "embed");

    private final StringBuilder out = new StringBuilder(4096);

    /** Opens {@code tag} with attributes given as name, value pairs; a null value leaves the attribute out. */
    Html open(String tag, String... attributes) {
        requireName(tag);
        if (FORBIDDEN_ELEMENTS.contains(tag)) {
            throw new IllegalArgumentException("the panel does not write <" + tag + "> elements");
        }
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            String name = attributes[i];
            String value = attributes[i + 1];
            requireName(name);
            if (name.startsWith("on") || name.equals("style")) {
                throw new IllegalArgumentException("the panel does not write " + name + " attributes");
            }
            if (value == null) {
                continue;
            }
            if (URL_ATTRIBUTES.contains(name)) {
                requireLocalPath(value);
            }
            out.append(' ').append(name).append("=\"").append(escape(value)).append('"');
        }
        out.append('>');
        return this;
    }

    /** Closes {@code tag}. */
    Html close(String tag) {
        requireName(tag);
        if (!VOID_ELEMENTS.contains(tag)) {
            out.append("</").append(tag).append('>');
        }
        return this;
    }

    /** An element holding only {@code text}. */
    Html element(String tag, Object text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Text, escaped; null writes nothing. */
    Html text(Object text) {
        if (text != null) {
            out.append(escape(String.valueOf(text)));
        }
        return this;
    }

    /** The document type declaration, the one fixed piece of markup. */
    Html doctype() {
        out.append("<!DOCTYPE html>\n");
        return this;
    }

    /** A script served by this server, by path: the panel writes no inline script. */
    Html externalScript(String path) {
        requireLocalPath(path);
        out.append("<script src=\"").append(escape(path)).append("\" defer></script>");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * A path on this server from fixed words and values: each part is percent-encoded, so a value
     * such as {@code ../x} or {@code javascript:} stays one harmless segment.
     */
    static String path(String... parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            path.append('/').append(URLEncoder.encode(part, UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    /** Escapes {@code & < > " '} and shows control characters other than tab and line feed. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                case '\n', '\t' -> escaped.append(c);
                default -> {
                    if (c < 0x20) {
                        escaped.append((char) (0x2400 + c)); // the Unicode control picture: ESC shows as ␛
                    } else if (c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        escaped.append('\ufffd');
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain HTML name: " + name);
        }
    }

    private static void requireLocalPath(String value) {
        if (!value.startsWith("/") || value.startsWith("//") || value.contains("\\")) {
            throw new IllegalArgumentException("URL attributes take paths of this server only, not " + value);
        }
    }
}
