package io.spew.daemon.api;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Tells whether the client of a long answer has gone away while the answer has nothing to send.
 * A write would tell too, but a follower of a quiet log may not write for hours.
 */
final class ClientWatch {
    private final HttpServerExchange exchange;
    private final ByteBuffer probe = ByteBuffer.allocate(1);

    ClientWatch(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Whether the client closed its side. On HTTP/1.1 Undertow does not read a connection while it
     * answers a request, so a non-blocking read of the raw socket sees the client's close (-1).
     * Bytes read there belong to a pipelined request, which this answer then cannot leave in
     * place: the connection is closed after the answer instead of kept alive.
     */
    boolean isGone() {
        ServerConnection connection = exchange.getConnection();
        if (!connection.isOpen()) {
            return true;
        }
        if (!(connection instanceof AbstractServerConnection)) {
            return false;
        }
        try {
            probe.clear();
            int read = ((AbstractServerConnection) connection).getOriginalSourceConduit().read(probe);
            if (read > 0) {
                exchange.setPersistent(false);
            }
            return read < 0;
        } catch (IOException e) {
            return true;
        }
    }
}
