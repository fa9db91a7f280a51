package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.spi.cluster.ReplicatedState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * One attempt to claim this host's slice of the cluster's instance subnet (see {@link ReplicatedSlices}): a
 * slice the state says this host holds is kept (its address brought up to date, any other slice it holds given
 * back); else, while a leader is known, the first of the remembered slice, the preferred one and then every
 * slice in order that no host holds is claimed with a put-if-absent, the cluster's subnet set first if it has
 * none.
 */
final class SliceClaiming {
    private static final Duration WRITE = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(SliceClaiming.class.getName());

    private final ReplicatedState state;
    private final String host;
    private final String address;
    private final InstanceSubnet wanted;
    private final long preferred;
    private final Optional<Ipv4Subnet> remembered;

    SliceClaiming(ReplicatedState state, String host, String address, InstanceSubnet wanted, long preferred,
            Optional<Ipv4Subnet> remembered) {
        this.state = requireNonNull(state, "state is null");
        this.host = requireNonNull(host, "host is null");
        this.address = requireNonNull(address, "address is null");
        this.wanted = requireNonNull(wanted, "wanted is null");
        this.preferred = preferred;
        this.remembered = requireNonNull(remembered, "remembered is null");
    }

    /** The slice this host holds after the attempt, if any; writes fail with CLUSTER_UNAVAILABLE. */
    Optional<Ipv4Subnet> claim(SortedMap<String, String> snapshot) {
        List<SliceClaim> claims = SliceClaim.all(snapshot);
        List<SliceClaim> held = claims.stream().filter(claim -> claim.host().equals(host)).toList();
        boolean led = state.leader().isPresent();
        if (!held.isEmpty()) {
            SliceClaim kept = held.stream().filter(claim -> remembered.equals(Optional.of(claim.slice())))
                    .findFirst().orElse(held.get(0));
            if (led) {
                tidy(held, kept);
            }
            return Optional.of(kept.slice());
        }
        if (!led) {
            return Optional.empty(); // cut off, or not caught up: what this host applied may be stale
        }
        InstanceSubnet subnet = subnet(snapshot);
        Set<Ipv4Subnet> taken = new HashSet<>();
        claims.forEach(claim -> taken.add(claim.slice()));
        for (Iterator<Ipv4Subnet> candidates = candidates(subnet).iterator(); candidates.hasNext(); ) {
            Ipv4Subnet candidate = candidates.next();
            if (!taken.add(candidate)) {
                continue;
            }
            SliceClaim mine = new SliceClaim(candidate, host, address);
            if (state.putIfAbsent(mine.key(), mine.value(), WRITE).equals(mine.value())) {
                return Optional.of(candidate);
            }
        }
        LOG.log(Level.WARNING, "every slice of the cluster's instance subnet " + subnet + " is held by a host:"
                + " this host cannot give its instances addresses (a larger subnet or smaller slices are needed)");
        return Optional.empty();
    }

    /** Writes the kept claim again if this host's address changed, and gives back any other slice it holds. */
    private void tidy(List<SliceClaim> held, SliceClaim kept) {
        if (!kept.address().equals(address)) {
            SliceClaim moved = new SliceClaim(kept.slice(), host, address);
            state.put(moved.key(), moved.value(), WRITE);
            LOG.log(Level.INFO, "slice " + kept.slice() + " is reached at " + address + " now, not " + kept.address());
        }
        for (SliceClaim extra : held) {
            if (!extra.equals(kept)) {
                state.remove(extra.key(), WRITE);
                LOG.log(Level.INFO, "gave back slice " + extra.slice() + ": this host holds " + kept.slice());
            }
        }
    }

    /** The cluster's instance subnet: as the state holds it, else this host's, set now if no host set another. */
    private InstanceSubnet subnet(SortedMap<String, String> snapshot) {
        InstanceSubnet subnet = InstanceSubnet.of(snapshot)
                .orElseGet(() -> InstanceSubnet.parse(state.putIfAbsent(InstanceSubnet.KEY, wanted.encode(), WRITE)));
        if (!subnet.equals(wanted)) {
            LOG.log(Level.WARNING, "the cluster's instance subnet is " + subnet + ", not " + wanted
                    + " as this host's network settings say: the cluster's is used");
        }
        return subnet;
    }

    /** The remembered slice, the preferred one, then every slice in order. */
    private Stream<Ipv4Subnet> candidates(InstanceSubnet subnet) {
        Stream<Ipv4Subnet> first = Stream.concat(remembered.filter(subnet::holds).stream(),
                LongStream.of(preferred).filter(index -> index < subnet.count()).mapToObj(subnet::slice));
        return Stream.concat(first, LongStream.range(0, subnet.count()).mapToObj(subnet::slice));
    }
}
