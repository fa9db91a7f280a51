package io.spew.daemon.panel;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Consumer;

/** The frame of every panel page (head, assets, navigation) and the formats pages share. */
final class PanelLayout {
    static final String ROOT = "/panel";

    private PanelLayout() {}

    /** A whole page: {@code body} writes the main part. */
    static String page(String title, String csrfToken, Consumer<Html> body) {
        Html html = new Html().doctype();
        html.open("html", "lang", "en").open("head")
                .open("meta", "charset", "utf-8").close("meta")
                .open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").close("meta")
                .element("title", title + " · spew")
                .open("link", "rel", "stylesheet", "href", ROOT + "/static/panel.css").close("link")
                .close("head");
        html.open("body");
        html.open("header").open("nav")
                .element("a", "spew", "href", ROOT + "/", "class", "brand")
                .element("a", "dashboard", "href", ROOT + "/");
        if (csrfToken != null) {
            html.open("form", "method", "post", "action", ROOT + "/logout", "class", "inline");
            csrf(html, csrfToken);
            html.element("button", "log out", "type", "submit", "class", "link").close("form");
        }
        html.close("nav").close("header");
        html.open("main");
        html.element("h1", title);
        body.accept(html);
        html.close("main");
        // the panel's only script, served by the daemon itself: no inline script, no CDN
        html.externalScript(ROOT + "/static/panel.js");
        html.close("body").close("html");
        return html.toString();
    }

    /** The hidden CSRF field every form carries. */
    static void csrf(Html html, String token) {
        html.open("input", "type", "hidden", "name", "csrf", "value", token).close("input");
    }

    /** A form with one button that posts to {@code action}. */
    static void button(Html html, String action, String label, String csrfToken, String kind) {
        html.open("form", "method", "post", "action", action, "class", "inline");
        csrf(html, csrfToken);
        html.element("button", label, "type", "submit", "class", kind, "data-action", label).close("form");
    }

    /**
     * The rolls section: filled and kept current by {@code panel.js} from {@code GET /api/v1/rolls}
     * and the {@code roll} events of {@code GET /api/v1/events}; of one appliance, or of all when
     * {@code appliance} is null.
     */
    static void rolls(Html html, String appliance) {
        html.open("section").element("h2", "Rolls");
        if (appliance == null) {
            html.open("ul", "id", "rolls", "class", "rolls", "data-live", "rolls");
        } else {
            html.open("ul", "id", "rolls", "class", "rolls", "data-live", "rolls", "data-appliance", appliance);
        }
        html.element("li", "No roll yet (spew start rolls a change).", "class", "empty").close("ul").close("section");
    }

    static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }

    static String since(Instant instant) {
        if (instant == null) {
            return "";
        }
        Duration duration = Duration.between(instant, Instant.now());
        if (duration.isNegative()) {
            return "0s";
        }
        long seconds = duration.getSeconds();
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        if (seconds < 172800) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
