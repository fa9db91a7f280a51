package io.spew.spi.cluster;

import java.util.Map;

/** What the engine gives a transport: the local member and the transport's settings. */
public interface ClusterContext {
    Member localMember();

    /** Transport settings; the transport rejects keys it does not know. */
    Map<String, String> config();
}
