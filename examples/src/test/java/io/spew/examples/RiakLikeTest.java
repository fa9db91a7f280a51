package io.spew.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.spew.Spew;
import io.spew.environment.EnvironmentFiles;
import io.spew.environment.StartOptions;
import io.spew.impl.SpewEngine;
import io.spew.impl.environment.EnvironmentFileLoader;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import io.spew.instance.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code riak-like/spew.yaml} end to end: 3 members, then 8 in prod, then 3 again; each knows its peers. */
class RiakLikeTest {
    @TempDir
    Path data;

    @Test
    void membersFindEachOtherThroughTheServiceCatalogInEveryEnvironment() throws Exception {
        EnvironmentFiles file = EnvironmentFileLoader.load(Path.of("riak-like/spew.yaml"));
        try (Spew spew = SpewEngine.builder().dataDirectory(data).start()) {
            try {
                spew.environments().start(file, null, new StartOptions(null, true));
                assertThat(running(spew)).containsExactly("gateway-1", "store-1", "store-2", "store-3");
                List<String> addresses = spew.services().list().get(0).addresses();
                assertThat(addresses).hasSize(3);
                for (String address : addresses) {
                    assertThat(members(address)).as("members known to %s", address).containsExactlyElementsOf(addresses);
                }
                assertThat(spew.instances().get("gateway-1").spec().env().get("STORE")).isEqualTo(String.join(",", addresses));
                assertThat(Files.readString(spew.instances().log("store-3", LogStream.STDOUT)))
                        .startsWith(addresses.get(2) + " joined " + addresses.get(0) + "," + addresses.get(1));

                spew.environments().start(file, "prod", new StartOptions(null, true));
                assertThat(running(spew)).hasSize(10).contains("store-8", "gateway-2");
                List<String> prod = spew.services().list().get(0).addresses();
                assertThat(prod).hasSize(8);
                assertThat(members(prod.get(0))).as("the first member learnt of every later one").containsExactlyElementsOf(prod);
                assertThat(members(prod.get(7))).containsExactlyElementsOf(prod);

                spew.environments().start(file, null, new StartOptions(null, true));
                assertThat(running(spew)).containsExactly("gateway-1", "store-1", "store-2", "store-3");
                assertThat(spew.services().list().get(0).addresses()).isEqualTo(addresses);
            } finally {
                spew.environments().stop(file, null, true);
            }
            assertThat(spew.instances().list()).isEmpty();
        }
    }

    private static List<String> running(Spew spew) {
        return spew.instances().list().stream().filter(i -> i.state() == InstanceState.RUNNING).map(Instance::name).toList();
    }

    private static List<String> members(String address) throws IOException {
        try (InputStream in = URI.create("http://" + address + "/members").toURL().openStream()) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> members = new ArrayList<>(Arrays.asList(json.replaceAll("[\\[\\]\" ]", "").split(",")));
            members.sort(null);
            return members;
        }
    }
}
