package io.spew.daemon.api;

import io.undertow.server.HttpServerExchange;

/** One API operation: reads the request and returns what to answer as JSON. */
@FunctionalInterface
interface Endpoint {
    Object handle(HttpServerExchange exchange) throws Exception;
}
