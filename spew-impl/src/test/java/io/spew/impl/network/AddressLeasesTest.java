package io.spew.impl.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.instance.InstanceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressLeasesTest {
    @TempDir
    Path directory;

    private final Ipv4Subnet slice = new SettingsHostSlice(Map.of()).slice();

    @Test
    void twoHundredLeasesAreDistinctAddressesOfTheSliceAndSurviveAReload() {
        AddressLeases leases = new AddressLeases(directory, slice);
        List<InstanceId> instances = new ArrayList<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            InstanceId id = InstanceId.random();
            instances.add(id);
            InstanceAddress address = leases.lease(id);
            assertThat(addresses.add(address.address())).as("address %s handed out twice", address).isTrue();
            assertThat(address.address()).isNotIn("10.77.0.0", "10.77.0.1", "10.77.0.255");
            assertThat(address.gateway()).isEqualTo("10.77.0.1");
            assertThat(address.cidr()).startsWith("10.77.0.").endsWith("/24");
            assertThat(leases.lease(id)).as("an instance keeps its address").isEqualTo(address);
        }
        assertThat(directory).isDirectoryContaining(path -> path.getFileName().toString().equals("10.77.0.2"));

        AddressLeases reloaded = new AddressLeases(directory, slice);
        assertThat(reloaded.size()).isEqualTo(200);
        for (InstanceId id : instances) {
            assertThat(reloaded.of(id)).isEqualTo(leases.of(id));
        }
        InstanceAddress fresh = reloaded.lease(InstanceId.random());
        assertThat(addresses).as("a new engine hands out no address in use").doesNotContain(fresh.address());
    }

    @Test
    void aReleasedAddressIsFreeAgainButReusedLast() {
        AddressLeases leases = new AddressLeases(directory, slice);
        InstanceId first = InstanceId.random();
        String address = leases.lease(first).address();
        leases.release(first);
        leases.release(first);
        assertThat(leases.of(first)).isEmpty();
        assertThat(directory).isEmptyDirectory();
        assertThat(leases.lease(InstanceId.random()).address()).as("round the slice first").isNotEqualTo(address);
        for (int i = 0; i < 252; i++) {
            leases.lease(InstanceId.random());
        }
        assertThat(leases.size()).isEqualTo(253);
        assertThatThrownBy(() -> leases.lease(InstanceId.random())).isInstanceOf(SpewException.class)
                .hasMessageContaining("every address of this host's instance network 10.77.0.0/24 is in use (253)")
                .extracting(e -> ((SpewException) e).code()).isEqualTo(ErrorCode.TOO_MANY);
    }

    @Test
    void leasesOfInstancesThatAreGoneAreFreedAtRecovery() {
        AddressLeases leases = new AddressLeases(directory, slice);
        InstanceId kept = InstanceId.random();
        InstanceId gone = InstanceId.random();
        leases.lease(kept);
        leases.lease(gone);
        leases.retainOnly(List.of(kept));
        assertThat(leases.of(gone)).isEmpty();
        assertThat(new AddressLeases(directory, slice).size()).isEqualTo(1);
    }

    @Test
    void theHostSliceComesFromTheSettings() {
        assertThat(slice).hasToString("10.77.0.0/24");
        assertThat(new SettingsHostSlice(Map.of("instance-subnet", "10.99.0.0/16", "slice", "3")).slice())
                .hasToString("10.99.3.0/24");
        assertThat(new SettingsHostSlice(Map.of("instance-subnet", "172.20.0.0/20", "slice-prefix", "26", "slice", "5"))
                .slice()).hasToString("172.20.1.64/26");
        assertThatThrownBy(() -> new SettingsHostSlice(Map.of("slice", "256"))).isInstanceOf(SpewException.class)
                .hasMessageContaining("slice 256 name no slice of 10.77.0.0/16");
        assertThatThrownBy(() -> new SettingsHostSlice(Map.of("instance-subnet", "10.77.0.0"))).hasMessageContaining(
                "instance-subnet '10.77.0.0' is not an IPv4 network A.B.C.D/N");
        assertThatThrownBy(() -> new SettingsHostSlice(Map.of("subnet", "10.0.0.0/8"))).hasMessageContaining(
                "no network setting subnet");
        assertThat(Ipv4Subnet.parse("10.77.3.9/16", "x")).as("host bits dropped").hasToString("10.77.0.0/16");
    }
}
