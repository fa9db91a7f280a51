package io.spew.spi.cluster;

import static java.util.Objects.requireNonNull;

import io.spew.host.HostState;

/** A member and how its peers see it. */
public record MemberStatus(Member member, HostState state) {
    public MemberStatus {
        requireNonNull(member, "member is null");
        requireNonNull(state, "state is null");
    }
}
