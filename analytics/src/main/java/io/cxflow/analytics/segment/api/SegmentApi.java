package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.http.AdminAuth;
import io.cxflow.platform.http.Routes;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The segments API of one analytics instance ({@link SegmentRoutes}): definitions written to {@code
 * cx.segment-definitions.v1} and read from the global store {@value SegmentStores#DEFINITIONS}, live
 * sizes, members and previews counted over every instance of the application ({@link SegmentCluster},
 * one internal call per other instance, {@link SegmentInternalRoutes}). Every route needs the admin
 * token.
 *
 * <p>Wired like the profile query API: routes {@linkplain #register registered} when the HTTP server is
 * built, the Streams client {@linkplain #bind bound} before it starts (until then the routes answer 503).
 *
 * <pre>{@code
 * SegmentApi segments = new SegmentApi(platform, config.segments(), config.profiles().historySums());
 * HttpServer http = HttpServer.start(..., segments::register);
 * segments.bind(streams, self);
 * }</pre>
 */
public final class SegmentApi implements AutoCloseable {

    private final SegmentNode node = new SegmentNode();
    private final AdminAuth auth;
    private final DefinitionWriter writer;
    private final SegmentPeers peers;
    private final SegmentDefinitions definitions;
    private final LocalSegmentReads local;
    private final SegmentCluster cluster;
    private final Conditions conditions;
    private final Clock clock;

    /**
     * @param platform the Kafka clients, topics and admin token of the service
     * @param configured the configured segments ({@code analytics.segments}): listed, read-only
     * @param summedProperties the numeric properties the topology's rolling history sums ({@code
     *     ProfileSettings.historySums()}): conditions are compiled against them, as the topology does
     */
    public SegmentApi(PlatformContext platform, SegmentSettings configured, Collection<String> summedProperties) {
        this(platform, configured, summedProperties, Clock.systemUTC());
    }

    SegmentApi(PlatformContext platform, SegmentSettings configured, Collection<String> summedProperties, Clock clock) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(configured, "configured");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.conditions = new Conditions(summedProperties);
        this.auth = new AdminAuth(platform.common().adminToken());
        this.writer = new DefinitionWriter(platform);
        this.peers = new SegmentPeers(platform.common().adminToken());
        this.definitions = new SegmentDefinitions(node, writer, configured, clock);
        this.local = new LocalSegmentReads(node, clock);
        this.cluster = new SegmentCluster(node, local, peers, clock);
    }

    /** Registers the public routes and the internal ones. */
    public void register(Routes routes) {
        SegmentRoutes.register(routes, definitions, cluster, conditions, auth);
        SegmentInternalRoutes.register(routes, node, local, conditions, auth, clock);
    }

    /**
     * Binds the Streams client and this instance's address as given to Streams in {@code
     * application.server}; once, before the client starts.
     */
    public void bind(KafkaStreams streams, HostInfo self) {
        node.bind(streams, self);
    }

    /** Closes the producer, the admin client and the client used to ask other instances. */
    @Override
    public void close() {
        writer.close();
        peers.close();
    }
}
