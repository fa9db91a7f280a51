package io.spew.impl.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.impl.cluster.LocalReplicatedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts sharing one replicated state (the local transport's, as the cluster's would be) claim their slices. */
class ReplicatedSlicesTest {
    private static final InstanceSubnet SUBNET = new SettingsHostSlice(Map.of()).instanceSubnet();

    @TempDir
    Path directory;

    private final LocalReplicatedState state = new LocalReplicatedState("leader");

    private ReplicatedSlices host(String id, String address) {
        return host(id, address, SUBNET, 0);
    }

    private ReplicatedSlices host(String id, String address, InstanceSubnet wanted, long preferred) {
        return new ReplicatedSlices(() -> state, id, address, wanted, preferred,
                directory.resolve(id).resolve("network/slice"));
    }

    @Test
    void hostsClaimTheFirstFreeSlicesAndEachKnowsTheOthersSliceAndAddress() {
        ReplicatedSlices a = host("host-a", "192.0.2.1");
        ReplicatedSlices b = host("host-b", "192.0.2.2");
        AtomicInteger told = new AtomicInteger();
        a.onChange(told::incrementAndGet);

        a.tend();
        assertThat(a.slice()).hasToString("10.77.0.0/24");
        assertThat(a.peers()).isEmpty();
        assertThat(told).as("the first list, once the slice is held").hasValue(1);
        b.tend();
        a.tend();

        assertThat(b.slice()).hasToString("10.77.1.0/24");
        assertThat(a.peers()).containsExactly(new PeerSlice(Ipv4Subnet.parse("10.77.1.0/24", "x"), "192.0.2.2"));
        assertThat(b.peers()).containsExactly(new PeerSlice(Ipv4Subnet.parse("10.77.0.0/24", "x"), "192.0.2.1"));
        assertThat(told).hasValue(2);
        assertThat(state.snapshot()).containsEntry("network/subnet", "10.77.0.0/16 24")
                .containsEntry("network/slices/10.77.0.0/24", "host-a 192.0.2.1")
                .containsEntry("network/slices/10.77.1.0/24", "host-b 192.0.2.2");
        a.tend();
        assertThat(told).as("nothing changed, nothing told").hasValue(2);
    }

    @Test
    void aRestartedHostKeepsItsSliceAndItsNewAddressIsWritten() throws Exception {
        host("host-a", "192.0.2.1").tend();
        ReplicatedSlices b = host("host-b", "192.0.2.2");
        b.tend();
        assertThat(Files.readString(directory.resolve("host-b/network/slice")).strip()).isEqualTo("10.77.1.0/24");

        ReplicatedSlices again = host("host-b", "192.0.2.9");
        again.tend();

        assertThat(again.slice()).hasToString("10.77.1.0/24");
        assertThat(state.get("network/slices/10.77.1.0/24")).contains("host-b 192.0.2.9");
        assertThat(SliceClaim.all(state.snapshot())).hasSize(2);
    }

    @Test
    void aRememberedSliceAnotherHostTookMeanwhileIsLeftForAFreeOne() throws Exception {
        ReplicatedSlices b = host("host-b", "192.0.2.2");
        b.tend();
        b.release(Duration.ofSeconds(1));
        Path remembered = directory.resolve("host-b/network/slice");
        Files.createDirectories(remembered.getParent());
        Files.writeString(remembered, "10.77.0.0/24\n");
        state.put("network/slices/10.77.0.0/24", "host-c 192.0.2.3", Duration.ofSeconds(1));

        ReplicatedSlices again = host("host-b", "192.0.2.2");
        again.tend();

        assertThat(again.slice()).hasToString("10.77.1.0/24");
        assertThat(state.get("network/slices/10.77.0.0/24")).contains("host-c 192.0.2.3");
    }

    @Test
    void theClustersSubnetWinsOverAHostsSettingsAndThePreferredSliceIsTriedFirst() {
        ReplicatedSlices a = host("host-a", "192.0.2.1", new InstanceSubnet(Ipv4Subnet.parse("10.90.0.0/20", "x"), 26), 5);
        a.tend();
        ReplicatedSlices b = host("host-b", "192.0.2.2", SUBNET, 5);
        b.tend();

        assertThat(a.slice()).hasToString("10.90.1.64/26");
        assertThat(b.slice()).as("slice 5 is taken: the first free one").hasToString("10.90.0.0/26");
        assertThat(state.get(InstanceSubnet.KEY)).contains("10.90.0.0/20 26");
    }

    @Test
    void aReleasedSliceIsGoneFromTheStateAndFromTheOthersRoutesAndIsNotClaimedAgain() {
        ReplicatedSlices a = host("host-a", "192.0.2.1");
        ReplicatedSlices b = host("host-b", "192.0.2.2");
        a.tend();
        b.tend();
        a.tend();
        List<List<PeerSlice>> heard = new ArrayList<>();
        b.onChange(() -> heard.add(b.peers()));

        b.release(Duration.ofSeconds(1));
        b.tend();
        a.tend();

        assertThat(heard).containsExactly(List.of());
        assertThat(b.known()).isEmpty();
        assertThat(directory.resolve("host-b/network/slice")).doesNotExist();
        assertThat(state.get("network/slices/10.77.1.0/24")).isEmpty();
        assertThat(a.peers()).isEmpty();
        assertThatThrownBy(b::slice).isInstanceOfSatisfying(SpewException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_UNAVAILABLE)).hasMessageContaining("left the cluster");

        b.claimAgain(); // it could not leave after all
        b.tend();
        a.tend();
        assertThat(b.slice()).hasToString("10.77.1.0/24");
        assertThat(a.peers()).hasSize(1);
    }

    @Test
    void noRouteIsMadeToAHostAtThisHostsOwnAddressOrOnLoopback() {
        ReplicatedSlices a = host("host-a", "192.0.2.1");
        host("host-b", "192.0.2.1").tend();
        host("host-c", "127.0.0.1").tend();
        a.tend();

        assertThat(a.slice()).hasToString("10.77.2.0/24");
        assertThat(a.peers()).isEmpty();
    }

    @Test
    void hostsRacingForSlicesEachGetAnotherAndAWaitingLeaseIsAnsweredOnceTheSliceIsHeld() throws Exception {
        List<ReplicatedSlices> hosts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            hosts.add(host("host-" + i, "192.0.2." + (i + 1)));
        }
        List<Thread> threads = new ArrayList<>();
        for (ReplicatedSlices host : hosts) {
            threads.add(new Thread(host::tend));
        }
        Optional<Ipv4Subnet>[] waited = new Optional[1];
        Thread waiting = new Thread(() -> waited[0] = Optional.of(hosts.get(7).slice()));
        waiting.start();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        waiting.join(10_000);

        assertThat(hosts.stream().map(ReplicatedSlices::slice).distinct()).hasSize(8);
        assertThat(waited[0]).contains(hosts.get(7).slice());
    }

    @Test
    void hostAddressesComeFromTheSettingElseTheFallback() {
        assertThat(ReplicatedSlices.hostAddress("10.251.77.2", "192.0.2.1")).isEqualTo("10.251.77.2");
        assertThat(ReplicatedSlices.hostAddress(null, "192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ReplicatedSlices.hostAddress("0.0.0.0", "192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ReplicatedSlices.hostAddress("localhost", "192.0.2.1")).isEqualTo("127.0.0.1");
    }
}
