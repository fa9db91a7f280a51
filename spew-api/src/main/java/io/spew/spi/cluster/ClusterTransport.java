package io.spew.spi.cluster;

import io.spew.Registration;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Membership and messaging between the hosts of a cluster. */
public interface ClusterTransport extends AutoCloseable {
    /** Joins the cluster. */
    void start();

    /** Every known member with its state, the local one first. */
    List<MemberStatus> members();

    /** Called with the new member list after each change. */
    Registration onMembershipChange(Consumer<List<MemberStatus>> listener);

    /** Sends a message to one member (the local one included). */
    void send(String memberId, String topic, byte[] payload);

    /** Receives the messages of a topic. */
    Registration onMessage(String topic, MessageListener listener);

    /**
     * The cluster's replicated desired state; usable once {@link #start} returned. The {@code local} transport
     * answers a map of this host's only.
     */
    ReplicatedState replicatedState();

    /**
     * Leaves the cluster for good, then closes: the other members no longer count this one toward a majority
     * (its copy of the desired state is dropped). Fails with CLUSTER_UNAVAILABLE, still a member, when that
     * cannot be agreed within {@code timeout}. The default closes.
     */
    default void leave(Duration timeout) {
        close();
    }

    /** Leaves the cluster for now (a member that starts again is one again). */
    @Override
    void close();
}
