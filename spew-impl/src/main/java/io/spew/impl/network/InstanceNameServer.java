package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.impl.instance.LocalInstances;
import io.spew.impl.lifecycle.EngineSettings;
import io.spew.impl.service.ServiceAddresses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * This host's DNS server for instances (UDP): zone {@code spew.} from the service catalog and the
 * instances ({@link NameAnswers}). It listens where engine network setting {@code dns-listen} says
 * (comma-separated {@code IP:PORT}), by default on port 53 of the host's gateway address on the
 * instance bridge, which the instances' resolv.conf names. That address exists only while an instance
 * network does: an address that cannot be bound yet is tried again every second. One thread per
 * address.
 */
@Singleton
public final class InstanceNameServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InstanceNameServer.class.getName());
    private static final int MAX_UDP = 512;

    private final LocalInstances instances;
    private final NameAnswers answers;
    private final ScheduledExecutorService scheduler;
    private final String setting;
    private final HostSlice slice;
    /** Whether the addresses to listen on are known (in a cluster, the gateway's once the slice is assigned). */
    private volatile boolean resolved;
    private final List<DatagramChannel> bound = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> pending = new CopyOnWriteArrayList<>();
    private volatile ScheduledFuture<?> retry;
    private volatile boolean closed;
    private Registration changes;

    @Inject
    public InstanceNameServer(LocalInstances instances, ServiceAddresses services, HostSlice slice,
            EngineSettings settings, ScheduledExecutorService scheduler) {
        this.instances = requireNonNull(instances, "instances is null");
        this.answers = new NameAnswers(instances::list, services);
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.setting = settings.networkConfig().get("dns-listen");
        this.slice = requireNonNull(slice, "slice is null");
        if (setting != null) {
            listen(setting, null); // checked now
        }
    }

    static List<InetSocketAddress> listen(String setting, String gateway) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        String value = setting == null ? gateway + ":53" : setting;
        if (value.isBlank() || value.equals("none")) {
            return addresses;
        }
        for (String item : value.split(",")) {
            int colon = item.trim().lastIndexOf(':');
            try {
                addresses.add(new InetSocketAddress(item.trim().substring(0, colon),
                        Integer.parseInt(item.trim().substring(colon + 1))));
            } catch (RuntimeException e) {
                throw new SpewException(ErrorCode.INVALID_ARGUMENT, "network setting dns-listen takes IP:PORT,..."
                        + " or none, not '" + item.trim() + "'");
            }
        }
        return addresses;
    }

    /**
     * Binds what it can now and tries the rest every second, and whenever an instance changes (the
     * first instance network brings up the gateway address).
     */
    public synchronized void start() {
        bindPending();
        if (!pending.isEmpty() || !resolved) {
            retry = scheduler.scheduleWithFixedDelay(this::bindPending, 1, 1, TimeUnit.SECONDS);
            changes = instances.onChange(instance -> {
                if ((!pending.isEmpty() || !resolved) && "private".equals(instance.spec().config().get("network"))) {
                    bindPending();
                }
            });
        }
    }

    /** Adds the addresses to listen on to those pending, once they are known. */
    private void resolve() {
        if (resolved) {
            return;
        }
        if (setting != null) {
            pending.addAll(listen(setting, null));
            resolved = true;
        } else {
            slice.known().ifPresent(known -> {
                pending.addAll(listen(null, known.address(1)));
                resolved = true;
            });
        }
    }

    /** The addresses it answers on now (with the port chosen when the setting said 0). */
    public List<InetSocketAddress> listening() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (DatagramChannel channel : bound) {
            try {
                addresses.add((InetSocketAddress) channel.getLocalAddress());
            } catch (IOException e) {
                // closed meanwhile
            }
        }
        return addresses;
    }

    private synchronized void bindPending() {
        resolve();
        for (InetSocketAddress address : List.copyOf(pending)) {
            if (closed) {
                return;
            }
            try {
                DatagramChannel channel = DatagramChannel.open();
                try {
                    channel.bind(address);
                } catch (IOException e) {
                    channel.close();
                    continue;
                }
                pending.remove(address);
                bound.add(channel);
                Thread thread = new Thread(() -> serve(channel), "spew-dns-" + address);
                thread.setDaemon(true);
                thread.start();
                LOG.log(System.Logger.Level.INFO, "instance DNS server on " + channel.getLocalAddress());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "instance DNS server on " + address + ": " + e.getMessage());
            }
        }
        if (resolved && pending.isEmpty() && retry != null) {
            retry.cancel(false);
        }
    }

    private void serve(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_UDP * 8);
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                buffer.flip();
                byte[] response;
                try {
                    response = answers.answer(new Message(buffer)).toWire(MAX_UDP);
                } catch (IOException | RuntimeException e) {
                    continue; // not a DNS query: dropped
                }
                channel.send(ByteBuffer.wrap(response), client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "instance DNS server: " + e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
        if (changes != null) {
            changes.close();
        }
        for (DatagramChannel channel : bound) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        bound.clear();
    }
}
