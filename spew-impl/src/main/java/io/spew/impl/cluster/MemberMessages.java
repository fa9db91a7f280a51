package io.spew.impl.cluster;

import io.spew.SpewException;
import io.spew.host.HostState;
import io.spew.spi.cluster.ClusterTransport;
import io.spew.spi.cluster.MemberStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Set;

/** Telling the other members something on a topic, each on its own: one that cannot be reached is skipped. */
public final class MemberMessages {
    private static final Logger LOG = System.getLogger(MemberMessages.class.getName());

    private MemberMessages() {}

    /**
     * Sends {@code payload} on {@code topic} to every member but {@code self} that is in one of {@code states};
     * a send that fails is logged (at DEBUG, naming {@code what} was told) and the others are still told.
     */
    public static void tellOthers(ClusterTransport transport, String self, Collection<MemberStatus> members,
            Set<HostState> states, String topic, byte[] payload, String what) {
        for (MemberStatus member : members) {
            String id = member.member().id();
            if (id.equals(self) || !states.contains(member.state())) {
                continue;
            }
            try {
                transport.send(id, topic, payload);
            } catch (SpewException e) {
                LOG.log(Level.DEBUG, () -> "cannot tell host " + id + " " + what + ": " + e.getMessage());
            }
        }
    }
}
