package io.spew.benchmarks;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The api benchmark's baselines in a JVM of their own, as the daemon is: an Undertow handler with the daemon's
 * thread pools that answers the bytes of a file ({@code Content-Encoding: gzip} when asked). Prints its port,
 * then serves until its input ends. Arguments: FILE [gzip].
 */
public final class HelloServer {
    private HelloServer() {}

    public static void main(String[] args) throws Exception {
        Undertow server = start(Files.readAllBytes(Path.of(args[0])), args.length > 1 && args[1].equals("gzip"));
        System.out.println(port(server));
        System.out.flush();
        while (System.in.read() >= 0) {
            // serves until the benchmark closes our input
        }
        server.stop();
    }

    /** A started server that answers {@code body} on a free loopback port. */
    static Undertow start(byte[] body, boolean gzipped) {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(2).setWorkerThreads(16)
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    if (gzipped) {
                        exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
                    }
                    exchange.getResponseSender().send(ByteBuffer.wrap(body));
                }).build();
        server.start();
        return server;
    }

    static int port(Undertow server) {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
}
