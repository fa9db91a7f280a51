package io.spew.distrib.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.protocols.DROP;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three Raft members in this JVM on loopback, sealed with the test key. */
class RaftReplicatedStateTest {
    private static final Duration WRITE = Duration.ofSeconds(10);
    private static final List<String> IDS = List.of("host-0", "host-1", "host-2");

    @TempDir
    Path logs;

    private final TestCluster cluster = new TestCluster(3);
    private final List<RaftReplicatedState> members = new ArrayList<>();

    @AfterEach
    void closeAll() {
        members.forEach(RaftReplicatedState::close);
    }

    private RaftReplicatedState start(int index, String key) {
        return start(index, key, List.of());
    }

    private RaftReplicatedState start(int index, String key, List<Protocol> belowElection) {
        RaftReplicatedState member = new RaftReplicatedState(JGroupsSettings.parse(cluster.settings(index, key)),
                IDS.get(index), IDS, logs.resolve(IDS.get(index)));
        members.add(member);
        member.start(belowElection);
        return member;
    }

    private List<RaftReplicatedState> startAll() {
        List<RaftReplicatedState> started = new ArrayList<>();
        for (int i = 0; i < IDS.size(); i++) {
            started.add(start(i, TestCluster.KEY));
        }
        TestCluster.await(() -> started.stream().allMatch(member -> member.leader().isPresent()),
                () -> "a leader known to all");
        return started;
    }

    @Test
    void aWriteOnAnyMemberIsAppliedOnEveryMemberInOrder() {
        List<RaftReplicatedState> all = startAll();
        RaftReplicatedState follower = all.stream().filter(member -> !member.isLeader()).findFirst().orElseThrow();
        List<Map<String, String>> seen = new ArrayList<>();
        all.get(0).onChange(seen::add);

        follower.put("environment/prod/riak", "8", WRITE);
        all.get(2).put("environment/prod/web", "6", WRITE);
        all.get(1).remove("environment/prod/riak", WRITE);

        Map<String, String> expected = Map.of("environment/prod/web", "6");
        TestCluster.await(() -> all.stream().allMatch(member -> member.snapshot().equals(expected)),
                () -> "every member applied the three writes");
        assertThat(all.get(0).get("environment/prod/web")).contains("6");
        assertThat(all.stream().map(member -> member.leader().orElseThrow()).distinct()).hasSize(1);
        assertThat(seen).last().isEqualTo(expected);
    }

    @Test
    void ofMembersRacingToPutAKeyIfAbsentExactlyOneWinsAndAllAreToldItsValue() throws Exception {
        List<RaftReplicatedState> all = startAll();
        List<java.util.concurrent.CompletableFuture<String>> answers = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            String key = "network/slices/10.77." + round + ".0/24";
            answers.clear();
            for (int i = 0; i < all.size(); i++) {
                RaftReplicatedState member = all.get(i);
                String value = IDS.get(i);
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> member.putIfAbsent(key, value, WRITE)));
            }
            List<String> told = new ArrayList<>();
            for (var answer : answers) {
                told.add(answer.get(20, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(told).as("round %d", round).containsOnly(told.get(0)).first().isIn(IDS);
            TestCluster.await(() -> all.stream().allMatch(member -> member.get(key).equals(Optional.of(told.get(0)))),
                    () -> "every member holds the winner of " + key);
        }
        assertThat(all.get(1).putIfAbsent("fresh", "mine", WRITE)).isEqualTo("mine");
        assertThat(all.get(2).putIfAbsent("fresh", "theirs", WRITE)).isEqualTo("mine");
    }

    @Test
    void whenTheLeaderGoesTheOthersElectANewOneAndKeepTheState() {
        List<RaftReplicatedState> all = startAll();
        all.get(0).put("placement/web-1", "host-1", WRITE);
        RaftReplicatedState leader = all.stream().filter(RaftReplicatedState::isLeader).findFirst().orElseThrow();

        leader.close();
        List<RaftReplicatedState> rest = all.stream().filter(member -> member != leader).toList();
        TestCluster.await(() -> rest.stream().anyMatch(RaftReplicatedState::isLeader), () -> "a new leader");
        rest.get(0).put("placement/web-2", "host-2", WRITE);

        TestCluster.await(() -> rest.stream().allMatch(member -> member.snapshot().size() == 2),
                () -> "both writes on the two members left");
        assertThat(rest.get(1).get("placement/web-1")).contains("host-1");
    }

    @Test
    void theStateIsReadBackFromTheLogsAfterEveryMemberStopped() {
        List<RaftReplicatedState> all = startAll();
        all.get(1).put("environment/prod/riak", "8", WRITE);
        TestCluster.await(() -> all.stream().allMatch(member -> member.snapshot().size() == 1), () -> "applied");
        all.forEach(RaftReplicatedState::close);
        members.clear();

        List<RaftReplicatedState> again = startAll();

        TestCluster.await(() -> again.stream().allMatch(member -> member.get("environment/prod/riak").isPresent()),
                () -> "the write read back from the logs");
    }

    @Test
    void aMemberThatMissedTheLeadersAnnouncementIsToldAgain() {
        RaftReplicatedState first = start(0, TestCluster.KEY);
        RaftReplicatedState second = start(1, TestCluster.KEY);
        TestCluster.await(() -> first.leader().isPresent() && second.leader().isPresent(), () -> "a leader of two");
        AtomicInteger dropped = new AtomicInteger();
        DROP dropFirstAnnouncement = new DROP().addUpFilter(message -> message.getHeaders().values().stream()
                .anyMatch(header -> header.getClass().getSimpleName().equals("LeaderElected"))
                && dropped.getAndIncrement() == 0);

        RaftReplicatedState late = start(2, TestCluster.KEY, List.of(dropFirstAnnouncement));

        TestCluster.await(() -> dropped.get() >= 1, () -> "the first announcement to the late member dropped");
        TestCluster.await(() -> late.leader().isPresent(), () -> "the late member told who leads");
        assertThat(late.leader()).isEqualTo(first.leader());
    }

    @Test
    void aFollowerThatLeavesIsNoLongerAMemberAndIsNotAddedBackWhileItShowsUp() {
        List<RaftReplicatedState> all = startAll();
        RaftReplicatedState leaving = all.stream().filter(member -> !member.isLeader()).findFirst().orElseThrow();
        leave(all, leaving);
    }

    @Test
    void theLeaderCanLeaveToo() {
        List<RaftReplicatedState> all = startAll();
        leave(all, all.stream().filter(RaftReplicatedState::isLeader).findFirst().orElseThrow());
    }

    private static void leave(List<RaftReplicatedState> all, RaftReplicatedState leaving) {
        String id = IDS.get(all.indexOf(leaving));
        leaving.leave(WRITE);
        leaving.close();
        List<RaftReplicatedState> rest = all.stream().filter(member -> member != leaving).toList();

        TestCluster.await(() -> rest.stream().allMatch(member -> member.members().size() == 2
                && !member.members().contains(id)), () -> "the two left without " + id + ": " + rest.get(0).members());
        TestCluster.await(() -> rest.stream().anyMatch(RaftReplicatedState::isLeader), () -> "a leader of the two");
        RaftReplicatedState leader = rest.stream().filter(RaftReplicatedState::isLeader).findFirst().orElseThrow();
        leader.tend(IDS, WRITE); // as if it were still in the view
        assertThat(leader.members()).containsExactlyInAnyOrderElementsOf(
                IDS.stream().filter(other -> !other.equals(id)).toList());
        rest.get(0).put("after", "1", WRITE);
        assertThat(rest.get(0).get(RaftReplicatedState.LEFT_PREFIX + id)).isPresent();
    }

    @Test
    void withoutAMajorityAWriteFailsNamingTheKey() {
        RaftReplicatedState alone = start(0, TestCluster.KEY);

        assertThatThrownBy(() -> alone.put("environment/x", "1", Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("'environment/x'", "majority");
                });
        assertThat(alone.get("environment/x")).isEqualTo(Optional.empty());
    }

    @Test
    void aWriteWhileNoLeaderIsKnownWaitsForTheElection() throws Exception {
        RaftReplicatedState first = start(0, TestCluster.KEY);
        assertThat(first.leader()).isEmpty();
        var written = java.util.concurrent.CompletableFuture.runAsync(() -> first.put("environment/x", "1", WRITE));
        Thread.sleep(300); // the write has found no leader, and waits

        RaftReplicatedState second = start(1, TestCluster.KEY);

        written.get(WRITE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first.get("environment/x")).contains("1");
        TestCluster.await(() -> second.get("environment/x").isPresent(), () -> "the write applied on the second");
    }

    @Test
    void withoutALeaderAWriteGivesUpAfterTheLeaderWaitNotItsWholeTimeout() {
        RaftReplicatedState alone = start(0, TestCluster.KEY);
        long start = System.nanoTime();

        assertThatThrownBy(() -> alone.put("environment/x", "1", Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SpewException.class, e -> assertThat(e.getMessage()).contains("no leader"));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(RaftReplicatedState.LEADER_WAIT.minusMillis(100), RaftReplicatedState.LEADER_WAIT.plusSeconds(3));
    }

    @Test
    void withoutAMajorityLeavingFailsAndTheMemberStaysOne() {
        RaftReplicatedState alone = start(0, TestCluster.KEY);

        assertThatThrownBy(() -> alone.leave(Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("majority");
                });
        assertThat(alone.members()).containsExactlyInAnyOrderElementsOf(IDS);
    }

    @Test
    void aMemberWithAnotherKeyNeitherReadsNorWrites() {
        RaftReplicatedState first = start(0, TestCluster.KEY);
        start(1, TestCluster.KEY);
        RaftReplicatedState stranger = start(2, TestCluster.OTHER_KEY);
        TestCluster.await(() -> first.leader().isPresent(), () -> "a leader of the two keyed members");

        first.put("secret", "s", WRITE);

        assertThat(stranger.get("secret")).isEmpty();
        assertThatThrownBy(() -> stranger.put("injected", "x", Duration.ofSeconds(2)))
                .isInstanceOf(SpewException.class);
        assertThat(first.get("injected")).isEmpty();
    }
}
