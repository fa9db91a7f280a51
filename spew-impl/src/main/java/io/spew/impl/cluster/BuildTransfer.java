package io.spew.impl.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.ErrorCode;
import io.spew.Registration;
import io.spew.SpewException;
import io.spew.build.Build;
import io.spew.build.BuildId;
import io.spew.impl.build.BuildStore;
import io.spew.impl.host.HostFacts;
import io.spew.impl.json.Json;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.host.HostState;
import io.spew.spi.cluster.MemberStatus;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds between the hosts of a cluster, over the cluster transport (sealed with the cluster key, so only
 * members ask and answer): each host serves the archives and signatures its store keeps, by sha256, in pieces of
 * at most {@value BuildFetcher#CHUNK_BYTES} bytes; {@link #ensure} fetches a build this host lacks from the other
 * hosts that are up and verifies it again ({@link BuildFetcher}). One fetch runs at a time.
 */
@Singleton
public final class BuildTransfer implements AutoCloseable {
    static final String TOPIC = "spew.build";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HostFacts facts;
    private final BuildStore store;
    private final ClusterTransport transport;
    private final ClusterCalls calls;
    private final BuildFetcher fetcher;
    private final List<Registration> registrations = new ArrayList<>();

    /**
     * What is asked of a build: its offer when {@code length} is 0 (answered as an {@link OfferReply}), else
     * bytes of its archive (answered as they are).
     */
    record Request(String sha256, long offset, int length) {}

    /** The answer to an offer request. */
    record OfferReply(String name, String version, long archiveBytes, byte[] signature) {}

    @Inject
    public BuildTransfer(HostFacts facts, BuildStore store, ClusterTransport transport) {
        this.facts = requireNonNull(facts, "facts is null");
        this.store = requireNonNull(store, "store is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.calls = new ClusterCalls(transport, TOPIC, TIMEOUT, this::answer);
        this.fetcher = new BuildFetcher(store);
    }

    /** Serves this host's builds and takes the answers to its own requests; call before the transport starts. */
    public synchronized void open() {
        registrations.add(calls.open());
    }

    /**
     * The build {@code id}: this host's, or else fetched from another host that is up and verified again;
     * throws naming each host asked and why its copy was not taken.
     */
    public synchronized Build ensure(BuildId id) {
        try {
            return store.get(id.toString());
        } catch (SpewException e) {
            if (e.code() != ErrorCode.BUILD_NOT_FOUND) {
                throw e;
            }
        }
        List<BuildSource> sources = new ArrayList<>();
        for (MemberStatus member : transport.members()) {
            String host = member.member().id();
            if (!host.equals(facts.id()) && member.state() != HostState.LOST) {
                sources.add(new PeerSource(host));
            }
        }
        return fetcher.fetch(id, sources);
    }

    private byte[] answer(byte[] payload) throws IOException {
        Request request = Json.mapper().readValue(payload, Request.class);
        BuildId id = new BuildId(request.sha256());
        if (request.offset() < 0 || request.length() < 0) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "no piece of build " + id + " at offset "
                    + request.offset() + " of length " + request.length());
        }
        BuildStore.KeptArchive kept = store.keptArchive(id).orElseThrow(() -> new SpewException(
                ErrorCode.BUILD_NOT_FOUND, "it keeps no archive of build " + id
                        + " (not imported there, or imported before archives were kept)"));
        if (request.length() > 0) {
            return read(kept, request.offset(), Math.min(request.length(), BuildFetcher.CHUNK_BYTES));
        }
        return Json.mapper().writeValueAsBytes(new OfferReply(kept.build().name(), kept.build().version(),
                Files.size(kept.archive()), kept.signature() == null ? null : Files.readAllBytes(kept.signature())));
    }

    private static byte[] read(BuildStore.KeptArchive kept, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(kept.archive(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, channel.size() - offset)));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // on to the end of the piece
            }
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    }

    /** Another host of the cluster, asked over the transport. */
    private final class PeerSource implements BuildSource {
        private final String host;

        PeerSource(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public Offer offer(BuildId id) {
            try {
                OfferReply reply = Json.mapper().readValue(ask(new Request(id.sha256(), 0, 0)), OfferReply.class);
                return new Offer(reply.name(), reply.version(), reply.archiveBytes(), reply.signature());
            } catch (IOException e) {
                throw new SpewException(ErrorCode.INVALID_BUILD, "it answered what does not parse: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] read(BuildId id, long offset, int length) {
            return ask(new Request(id.sha256(), offset, length));
        }

        private byte[] ask(Request request) {
            try {
                return calls.call(host, Json.mapper().writeValueAsBytes(request), request.length() == 0
                        ? "for build sha256:" + request.sha256() : "with bytes of build sha256:" + request.sha256());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
        calls.close();
    }
}
