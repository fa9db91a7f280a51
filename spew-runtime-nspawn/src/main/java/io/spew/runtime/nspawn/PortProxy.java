package io.spew.runtime.nspawn;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Publishes containers' ports on the host: a userspace TCP proxy on one selector thread for all
 * instances. It listens on the wildcard address (dual-stack: every IPv4 and IPv6 address of the host,
 * 127.0.0.1 and ::1 included), or on the one address a port names, and forwards each connection to the instance's address. A proxy, not
 * DNAT: connections to 127.0.0.1 work without {@code route_localnet}, no nftables or iptables is
 * needed, and a port in use fails at bind, naming the port. The cost: bytes pass through the engine,
 * and published ports are closed while no engine runs (the runtime publishes them again when it
 * recovers an instance).
 */
final class PortProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PortProxy.class.getName());
    private static final int BUFFER = 32 * 1024;
    /** 20 ms apart: 0.5 s in all. */
    private static final int BIND_ATTEMPTS = 25;

    private final Map<String, List<ServerSocketChannel>> published = new ConcurrentHashMap<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Selector selector;
    private Thread thread;
    private volatile boolean closed;

    /**
     * Listens on the host ports of the instance now (so a port in use fails here) and forwards them to
     * {@code address}; throws {@code START_FAILED} naming the port.
     */
    synchronized void publish(String instanceId, String instance, int index, List<PublishedPort> ports, String address) {
        if (ports.isEmpty()) {
            return;
        }
        unpublish(instanceId);
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            for (PublishedPort port : ports) {
                int hostPort = port.hostPort(instance, index);
                ServerSocketChannel channel = ServerSocketChannel.open();
                channels.add(channel);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                bind(channel, hostPort, instance, port);
                channel.configureBlocking(false);
                InetSocketAddress target = new InetSocketAddress(address, port.container());
                submit(() -> channel.register(selector, SelectionKey.OP_ACCEPT, target));
            }
        } catch (IOException | RuntimeException e) {
            channels.forEach(PortProxy::closeQuietly);
            if (e instanceof SpewException spew) {
                throw spew;
            }
            throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + " cannot publish its ports: " + e);
        }
        published.put(instanceId, channels);
    }

    /**
     * Binds the port's address (the wildcard unless it names one), trying again for a moment: a port this proxy has just given up (a
     * restarting instance) is free only once the selector thread has seen its channel closed.
     */
    private static void bind(ServerSocketChannel channel, int hostPort, String instance, PublishedPort port)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                channel.bind(port.bindAddress(hostPort));
                return;
            } catch (BindException e) {
                if (!String.valueOf(e.getMessage()).contains("in use")) {
                    throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + " cannot publish port "
                            + hostPort + " (ports " + port + "): " + e.getMessage() + " (is the address this host's?)");
                }
                if (attempt >= BIND_ATTEMPTS) {
                    throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + " cannot publish port "
                            + hostPort + " (ports " + port + "): it is in use on this host; free it or publish another port");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SpewException(ErrorCode.START_FAILED, "instance " + instance + ": interrupted");
                }
            }
        }
    }

    /** Stops listening on the instance's ports; connections made before go on until either end closes them. */
    void unpublish(String instanceId) {
        List<ServerSocketChannel> channels = published.remove(instanceId);
        if (channels != null) {
            channels.forEach(PortProxy::closeQuietly);
            if (selector != null) {
                selector.wakeup();
            }
        }
    }

    /** Runs a task on the selector thread, starting it first. */
    private void submit(IoTask task) throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (selector == null) {
            selector = Selector.open();
            thread = new Thread(this::loop, "spew-nspawn-ports");
            thread.setDaemon(true);
            thread.start();
        }
        tasks.add(() -> {
            try {
                task.run();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "port proxy: " + e.getMessage());
            }
        });
        selector.wakeup();
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select();
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "port proxy: " + e.getMessage(), e);
                }
            }
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof InetSocketAddress target) {
            accept((ServerSocketChannel) key.channel(), target);
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isConnectable()) {
                connection.upstream.finishConnect();
            } else {
                SocketChannel channel = (SocketChannel) key.channel();
                if (key.isReadable()) {
                    connection.linkFrom(channel).read();
                }
                if (key.isValid() && key.isWritable()) {
                    connection.linkTo(channel).flush();
                }
            }
            connection.update();
        } catch (IOException | RuntimeException e) {
            connection.close();
        }
    }

    private void accept(ServerSocketChannel server, InetSocketAddress target) {
        SocketChannel client = null;
        SocketChannel upstream = null;
        try {
            client = server.accept();
            if (client == null) {
                return;
            }
            client.configureBlocking(false);
            upstream = SocketChannel.open();
            upstream.configureBlocking(false);
            upstream.connect(target);
            Connection connection = new Connection(client, upstream);
            connection.clientKey = client.register(selector, 0, connection);
            connection.upstreamKey = upstream.register(selector, SelectionKey.OP_CONNECT, connection);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** One proxied connection: a client of the host port and the container's end. */
    private static final class Connection {
        final SocketChannel client;
        final SocketChannel upstream;
        final Link up;
        final Link down;
        SelectionKey clientKey;
        SelectionKey upstreamKey;

        Connection(SocketChannel client, SocketChannel upstream) {
            this.client = client;
            this.upstream = upstream;
            this.up = new Link(client, upstream);
            this.down = new Link(upstream, client);
        }

        Link linkFrom(SocketChannel channel) {
            return channel == client ? up : down;
        }

        Link linkTo(SocketChannel channel) {
            return channel == client ? down : up;
        }

        void update() {
            if (up.done && down.done) {
                close();
                return;
            }
            if (!upstream.isConnected()) {
                return;
            }
            clientKey.interestOps((up.readable() ? SelectionKey.OP_READ : 0) | (down.pending() ? SelectionKey.OP_WRITE : 0));
            upstreamKey.interestOps((down.readable() ? SelectionKey.OP_READ : 0) | (up.pending() ? SelectionKey.OP_WRITE : 0));
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** One direction of a connection: bytes read from one end wait in the buffer until the other takes them. */
    private static final class Link {
        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        boolean eof;
        boolean done;

        Link(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }

        boolean readable() {
            return !eof && buffer.position() == 0;
        }

        boolean pending() {
            return buffer.position() > 0;
        }

        void read() throws IOException {
            if (from.read(buffer) < 0) {
                eof = true;
            }
            flush();
        }

        void flush() throws IOException {
            buffer.flip();
            to.write(buffer);
            buffer.compact();
            if (eof && buffer.position() == 0 && !done) {
                to.shutdownOutput();
                done = true;
            }
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        published.keySet().forEach(this::unpublish);
        if (selector != null) {
            selector.wakeup();
            try {
                thread.join(2000);
                for (SelectionKey key : selector.keys()) {
                    closeQuietly(key.channel());
                }
                selector.close();
            } catch (IOException e) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
