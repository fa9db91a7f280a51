package io.spew.impl.health;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Passes when a TCP connection is accepted: connects without blocking, closes at once or at the timeout. */
final class TcpProbe implements Probe {
    private final AsynchronousChannelGroup group;
    private final ScheduledExecutorService scheduler;
    private final String host;
    private final int port;
    private final Duration timeout;

    TcpProbe(AsynchronousChannelGroup group, ScheduledExecutorService scheduler, String host, int port, Duration timeout) {
        this.group = requireNonNull(group, "group is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public CompletableFuture<String> run() {
        CompletableFuture<String> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            return CompletableFuture.completedFuture("cannot open a socket: " + e.getMessage());
        }
        var timer = scheduler.schedule(() -> {
            if (result.complete("no connection to " + host + ":" + port + " within " + timeout.toMillis() + " ms")) {
                close(channel);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
                timer.cancel(false);
                close(channel);
                result.complete(null);
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                timer.cancel(false);
                close(channel);
                result.complete("cannot connect to " + host + ":" + port + ": " + error.getMessage());
            }
        });
        return result;
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
