package io.spew.daemon.panel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * In front of everything the daemon serves: refuses a request whose {@code Host} is neither the
 * address it was sent to (or {@code localhost} on loopback) nor one of the configured names (which
 * stops DNS rebinding), and puts the security headers on every answer.
 */
public final class RequestGuard implements HttpHandler {
    /** Extra names the daemon answers to, comma-separated, as {@code NAME} or {@code NAME:PORT}. */
    public static final String NAMES_VARIABLE = "SPEW_PANEL_HOSTS";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-f:.]+");
    private static final HttpString CONTENT_SECURITY_POLICY_HEADER = new HttpString("Content-Security-Policy");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString OPENER_POLICY = new HttpString("Cross-Origin-Opener-Policy");
    private static final HttpString RESOURCE_POLICY = new HttpString("Cross-Origin-Resource-Policy");

    private final Set<String> names;
    private final HttpHandler next;

    /** Guards {@code next}; {@code names} are the configured names, lower case. */
    public RequestGuard(Set<String> names, HttpHandler next) {
        this.names = Set.copyOf(names);
        this.next = requireNonNull(next, "next is null");
    }

    /** The names of {@link #NAMES_VARIABLE}, or none. */
    public static Set<String> configuredNames() {
        String value = System.getenv(NAMES_VARIABLE);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Set.of(value.split(",")).stream().map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        headers(exchange);
        if (!isAllowed(exchange.getRequestHeaders().getFirst(Headers.HOST), exchange.getDestinationAddress())) {
            byte[] body = "spew: this daemon does not answer to that Host name; use its listen address\n".getBytes(UTF_8);
            exchange.setStatusCode(421);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.setResponseContentLength(body.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
            return;
        }
        next.handleRequest(exchange);
    }

    boolean isAllowed(String host, InetSocketAddress destination) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String given = host.toLowerCase(Locale.ROOT);
        if (names.contains(given)) {
            return true;
        }
        int colon = given.lastIndexOf(':');
        if (colon <= 0 || given.endsWith("]") || !given.substring(colon + 1).equals(Integer.toString(destination.getPort()))) {
            return false;
        }
        String name = given.substring(0, colon);
        if (names.contains(name)) {
            return true;
        }
        if (name.equals("localhost")) {
            return destination.getAddress().isLoopbackAddress();
        }
        return isLiteralOf(name, destination.getAddress());
    }

    /** Whether {@code name} is an IP literal of {@code address}; a name is never looked up. */
    private static boolean isLiteralOf(String name, InetAddress address) {
        String literal;
        if (name.startsWith("[") && name.endsWith("]")) {
            literal = name.substring(1, name.length() - 1);
        } else if (IPV4.matcher(name).matches()) {
            literal = name;
        } else {
            return false;
        }
        if (!IP_LITERAL.matcher(literal).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).equals(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void headers(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY);
        headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
        headers.put(FRAME_OPTIONS, "DENY");
        // not no-referrer: under it, Chromium sends "Origin: null" with the panel's own form posts
        headers.put(REFERRER_POLICY, "same-origin");
        headers.put(OPENER_POLICY, "same-origin");
        headers.put(RESOURCE_POLICY, "same-origin");
    }
}
