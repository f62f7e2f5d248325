package io.cxflow.analytics.query;

import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.platform.http.Routes;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The profile query API of one analytics instance, answering for every customer whichever instance of
 * the application holds it. Each instance advertises its query API in {@code application.server}; a
 * request is answered from the stores of the instance whose active task hosts the key, forwarded once
 * over {@link InternalRoutes} when that is another instance ({@link RoutingStoreReads}).
 *
 * <p>Wiring order: the HTTP server binds first (its port may be chosen by the system), so the routes are
 * {@linkplain #register registered} before the Streams client exists; the client, configured with {@code
 * application.server} = {@link QueryAddress#of this instance's address}, is then {@linkplain #bind bound}
 * before it starts. Until then every query answers 503.
 *
 * <pre>{@code
 * ProfileQueryApi queries = new ProfileQueryApi(segments, identity);
 * HttpServer http = HttpServer.start(..., queries::register);
 * HostInfo self = QueryAddress.hostInfo(advertisedHost, http.port());
 * KafkaStreams streams = new KafkaStreams(topology, config + application.server = QueryAddress.of(self));
 * queries.bind(streams, self);
 * streams.start();
 * }</pre>
 */
public final class ProfileQueryApi implements AutoCloseable {

    /** Response header naming the instance ({@code host:port}, as advertised) whose store answered. */
    public static final String SERVED_BY_HEADER = InternalRoutes.SERVED_BY_HEADER;

    private final IdentitySettings identity;
    private final StreamsNode node = new StreamsNode();
    private final LocalStoreReads local;
    private final PeerClient peers = new PeerClient();
    private final ProfileQueries queries;

    /**
     * @param segments the configured segments (the memberships document lists them)
     * @param identity the identity rules the topology runs with: each external id is also a lookup
     *     parameter, and looked-up phones are read in its default region
     */
    public ProfileQueryApi(SegmentSettings segments, IdentitySettings identity) {
        Objects.requireNonNull(segments, "segments");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.local = new LocalStoreReads(node, segments);
        this.queries = new ResolvingProfileQueries(new RoutingStoreReads(node, local, peers));
    }

    /** Registers the public routes ({@link ProfileRoutes}) and the internal ones ({@link InternalRoutes}). */
    public void register(Routes routes) {
        ProfileRoutes.register(routes, queries, identity);
        InternalRoutes.register(routes, node, local);
    }

    /**
     * Binds the Streams client and this instance's address, as given to Streams in {@code
     * application.server}; once, before the client starts.
     */
    public void bind(KafkaStreams streams, HostInfo self) {
        node.bind(streams, self);
    }

    /** Closes the client used to ask other instances. */
    @Override
    public void close() {
        peers.close();
    }
}
