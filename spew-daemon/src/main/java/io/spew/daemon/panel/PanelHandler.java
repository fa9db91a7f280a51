package io.spew.daemon.panel;

import static io.spew.daemon.panel.PanelLayout.ROOT;
import static java.util.Objects.requireNonNull;

import io.spew.Spew;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.Optional;

/**
 * Serves the panel under {@code /panel}: the login, static assets, pages, the buttons (form posts
 * with a CSRF token), and read-only API calls of {@code panel.js} under {@code /panel/api/v1},
 * answered by the very API handler the JSON API uses. Every other request needs a session.
 */
public final class PanelHandler implements HttpHandler {
    static final String COOKIE = "spew_session";

    private final Spew spew;
    private final PanelSessions sessions;
    private final HttpHandler api;
    private final PanelActions actions;
    private final StaticAssets assets = StaticAssets.load();

    /** The panel of {@code spew}; {@code api} answers the API paths without checking a token. */
    public PanelHandler(Spew spew, PanelSessions sessions, HttpHandler api) {
        this.spew = requireNonNull(spew, "spew is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.api = requireNonNull(api, "api is null");
        this.actions = new PanelActions(spew.instances(), spew.environments());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        try {
            route(exchange);
        } catch (Exception | Error e) {
            PanelErrors.send(exchange, e);
        }
    }

    private void route(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        if (get && path.startsWith("/static/")) {
            assets.send(exchange, path.substring("/static/".length()));
            return;
        }
        if (get && path.equals("/login")) {
            login(exchange);
            return;
        }
        Optional<PanelSessions.Session> session = sessions.session(cookie(exchange));
        if (session.isEmpty()) {
            PanelErrors.page(exchange, StatusCodes.UNAUTHORIZED, "Log in",
                    "Log in with the one-time URL that 'spew panel' prints.");
            return;
        }
        if (get) {
            read(exchange, path, session.get());
        } else if (exchange.getRequestMethod().equals(Methods.POST)) {
            PanelForms.requireSameSite(exchange, session.get());
            post(exchange, path, session.get());
        } else {
            PanelErrors.page(exchange, StatusCodes.METHOD_NOT_ALLOWED, "Not allowed",
                    exchange.getRequestMethod() + " is not allowed here.");
        }
    }

    private void read(HttpServerExchange exchange, String path, PanelSessions.Session session) throws Exception {
        String csrf = session.csrfToken();
        String[] parts = PanelForms.segments(path);
        if (path.startsWith("/api/v1/")) {
            api.handleRequest(exchange);
        } else if (parts.length == 0) {
            PanelErrors.html(exchange, 200, DashboardPage.render(spew, csrf));
        } else if (parts.length == 2 && parts[0].equals("instances")) {
            PanelErrors.html(exchange, 200, DetailPages.instance(spew, parts[1], csrf));
        } else if (parts.length == 2 && parts[0].equals("appliances")) {
            PanelErrors.html(exchange, 200, DetailPages.appliance(spew, parts[1], csrf));
        } else if (parts.length == 2 && parts[0].equals("builds")) {
            PanelErrors.html(exchange, 200, DetailPages.build(spew, parts[1], csrf));
        } else if (parts.length == 2 && parts[0].equals("hosts")) {
            PanelErrors.html(exchange, 200, DetailPages.host(spew, parts[1], csrf));
        } else {
            PanelErrors.notFound(exchange);
        }
    }

    private void post(HttpServerExchange exchange, String path, PanelSessions.Session session) {
        String[] parts = PanelForms.segments(path);
        if (parts.length == 3 && parts[0].equals("instances")) {
            String id = actions.act(parts[1], parts[2]).id().value();
            redirect(exchange, ROOT + Html.path("instances", id));
        } else if (parts.length == 3 && parts[0].equals("appliances") && parts[2].equals("restart")) {
            actions.restartAll(parts[1]);
            redirect(exchange, ROOT + Html.path("appliances", parts[1]));
        } else if (parts.length == 1 && parts[0].equals("restart-failed")) {
            actions.restartFailed();
            redirect(exchange, ROOT + "/");
        } else if (parts.length == 1 && parts[0].equals("logout")) {
            sessions.logout(session.id());
            exchange.setResponseCookie(sessionCookie("").setMaxAge(0));
            PanelErrors.page(exchange, 200, "Logged out", "Run 'spew panel' for a new login URL.");
        } else {
            PanelErrors.notFound(exchange);
        }
    }

    private void login(HttpServerExchange exchange) {
        Deque<String> codes = exchange.getQueryParameters().get("code");
        Optional<PanelSessions.Session> session = sessions.login(codes == null ? null : codes.getFirst());
        if (session.isEmpty()) {
            PanelErrors.page(exchange, StatusCodes.UNAUTHORIZED, "Log in",
                    "This login URL was used already or is too old: run 'spew panel' for a new one.");
            return;
        }
        exchange.setResponseCookie(sessionCookie(session.get().id())
                .setMaxAge((int) PanelSessions.SESSION_LIFETIME.toSeconds()));
        redirect(exchange, ROOT + "/");
    }

    private static Cookie sessionCookie(String value) {
        return new CookieImpl(COOKIE, value).setPath(ROOT).setHttpOnly(true).setSameSiteMode("Strict");
    }

    private static String cookie(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** After a post, the browser gets the page again (303: as a GET). */
    private static void redirect(HttpServerExchange exchange, String location) {
        exchange.setStatusCode(StatusCodes.SEE_OTHER);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        exchange.getResponseSender().send(ByteBuffer.wrap(new byte[0]));
    }
}
