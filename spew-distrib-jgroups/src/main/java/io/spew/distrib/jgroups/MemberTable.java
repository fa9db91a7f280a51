package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import io.spew.host.HostState;
import io.spew.spi.cluster.Member;
import io.spew.spi.cluster.MemberStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jgroups.Address;

/**
 * Who the local member knows and in which state: members of the current view are up (or suspect while the
 * failure detector doubts them); a member that leaves the view stays, lost, until it comes back.
 */
final class MemberTable {
    private record Entry(Member member, Address address, HostState state) {}

    private final Member local;
    private final Map<String, Entry> peers = new TreeMap<>();

    MemberTable(Member local) {
        this.local = requireNonNull(local, "local is null");
    }

    /** Applies a new view; returns whether anything changed. */
    synchronized boolean viewChanged(Collection<Address> view) {
        Map<String, Entry> before = new TreeMap<>(peers);
        Set<String> present = new HashSet<>();
        for (Address address : view) {
            Optional<Member> member = MemberCodec.member(address);
            if (member.isEmpty() || member.get().id().equals(local.id())) {
                continue;
            }
            String id = member.get().id();
            present.add(id);
            Entry known = peers.get(id);
            boolean stillSuspect = known != null && known.address().equals(address) && known.state() == HostState.SUSPECT;
            peers.put(id, new Entry(member.get(), address, stillSuspect ? HostState.SUSPECT : HostState.UP));
        }
        peers.replaceAll((id, entry) -> present.contains(id) ? entry : new Entry(entry.member(), entry.address(), HostState.LOST));
        return !before.equals(peers);
    }

    /** Marks members the failure detector doubts; returns whether anything changed. */
    synchronized boolean suspected(Collection<Address> addresses) {
        return mark(addresses, HostState.UP, HostState.SUSPECT);
    }

    /** Clears a suspicion; returns whether anything changed. */
    synchronized boolean unsuspected(Address address) {
        return mark(List.of(address), HostState.SUSPECT, HostState.UP);
    }

    private boolean mark(Collection<Address> addresses, HostState from, HostState to) {
        boolean changed = false;
        for (Map.Entry<String, Entry> peer : peers.entrySet()) {
            Entry entry = peer.getValue();
            if (entry.state() == from && addresses.contains(entry.address())) {
                peer.setValue(new Entry(entry.member(), entry.address(), to));
                changed = true;
            }
        }
        return changed;
    }

    /** The JGroups address of a member that is not lost. */
    synchronized Optional<Address> reachable(String memberId) {
        Entry entry = peers.get(memberId);
        return entry == null || entry.state() == HostState.LOST ? Optional.empty() : Optional.of(entry.address());
    }

    /** Whether {@code memberId} was a member and is now lost. */
    synchronized boolean lost(String memberId) {
        Entry entry = peers.get(memberId);
        return entry != null && entry.state() == HostState.LOST;
    }

    /** The local member first (always up), then the others by id. */
    synchronized List<MemberStatus> snapshot() {
        List<MemberStatus> members = new ArrayList<>(peers.size() + 1);
        members.add(new MemberStatus(local, HostState.UP));
        for (Entry entry : peers.values()) {
            members.add(new MemberStatus(entry.member(), entry.state()));
        }
        return List.copyOf(members);
    }
}
