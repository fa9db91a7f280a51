package io.spew.distrib.jgroups;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The transport's protocol stack, bottom first, built in code (no XML to ship): TCP, the seal, static
 * discovery, merge, failure detection and its check, reliable multicast and unicast, stability,
 * membership and fragmentation. Everything above the seal travels sealed.
 */
final class ProtocolStacks {
    private ProtocolStacks() {}

    static List<Protocol> create(JGroupsSettings settings, ClusterKeySeal seal, SuspicionWatch watch) {
        TCP tcp = new TCP();
        tcp.setBindAddress(bindAddress(settings.bindAddress()));
        tcp.setBindPort(settings.port());
        tcp.setPortRange(0);
        TCPPING discovery = new TCPPING();
        discovery.setInitialHosts(settings.initialMembers().stream().map(HostAndPort::socketAddress).toList());
        discovery.setPortRange(0);
        MERGE3 merge = new MERGE3();
        merge.setMinInterval(Math.max(1, settings.mergeIntervalMillis() / 3));
        merge.setMaxInterval(settings.mergeIntervalMillis());
        FD_ALL3 failureDetection = new FD_ALL3();
        failureDetection.setTimeout(settings.failureTimeoutMillis());
        // a heartbeat every sixth of the timeout; the timeout is checked as often: a member is suspected after
        // between 1 and 7/6 of it
        failureDetection.setInterval(Math.max(1, settings.failureTimeoutMillis() / 6));
        VERIFY_SUSPECT2 verify = new VERIFY_SUSPECT2();
        verify.setTimeout(settings.verifyTimeoutMillis());
        NAKACK2 multicast = new NAKACK2();
        multicast.useMcastXmit(false);
        GMS membership = new GMS();
        membership.setJoinTimeout(settings.joinTimeoutMillis());
        membership.printLocalAddress(false);
        return List.of(tcp, seal, discovery, merge, failureDetection, watch, verify, multicast, new UNICAST3(),
                new STABLE(), membership, new FRAG4());
    }

    private static InetAddress bindAddress(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new SpewException(ErrorCode.INVALID_ARGUMENT, "'" + JGroupsSettings.BIND_ADDRESS + "' has '" + text
                    + "', which does not resolve: give an address of this host");
        }
    }
}
