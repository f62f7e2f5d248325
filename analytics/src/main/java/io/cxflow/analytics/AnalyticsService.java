package io.cxflow.analytics;

import io.cxflow.analytics.query.ProfileQueryApi;
import io.cxflow.analytics.query.QueryAddress;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.api.SegmentApi;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.http.Health;
import io.cxflow.platform.http.HttpServer;
import io.cxflow.platform.metrics.Metrics;
import io.cxflow.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics service: the Kafka Streams application of {@link AnalyticsTopology}
 * ({@code exactly_once_v2}, 100 ms commits) and the query API over its stores, with health ({@code
 * /health/ready} is up while Streams is RUNNING) and Prometheus metrics (Streams metrics bound). Several
 * instances with the same application id share the work; each advertises its query API ({@code
 * application.server} = {@code analytics.advertised-host} and the bound port) and answers for every
 * customer, forwarding to the instance that hosts the key ({@link ProfileQueryApi}).
 *
 * <pre>{@code
 * try (AnalyticsService analytics = AnalyticsService.start(AnalyticsConfig.from(source), platform)) {
 *     analytics.baseUrl(); // http://127.0.0.1:8081
 * }
 * }</pre>
 */
public final class AnalyticsService implements AutoCloseable {

    /** Service name in logs, metrics ({@code service=analytics}) and the health document. */
    public static final String SERVICE = "analytics";

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_THREAD_REPLACEMENTS = 3;
    private static final Duration THREAD_REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    private final KafkaStreams streams;
    private final HttpServer http;
    private final ProfileQueryApi queries;
    private final SegmentApi segmentApi;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AnalyticsService(
            KafkaStreams streams,
            HttpServer http,
            ProfileQueryApi queries,
            SegmentApi segmentApi,
            PrometheusMeterRegistry registry,
            KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.http = http;
        this.queries = queries;
        this.segmentApi = segmentApi;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
    }

    /**
     * Builds the topology, starts Kafka Streams and the HTTP server, and returns without waiting for
     * Streams to be RUNNING (readiness says when). The input and output topics must exist.
     *
     * @throws IllegalStateException when the HTTP port cannot be bound (Streams is closed again)
     */
    public static AnalyticsService start(AnalyticsConfig config, PlatformContext platform) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(platform, "platform");
        Topics topics = platform.topics();
        int partitions = eventPartitions(platform, topics);
        Topology topology =
                AnalyticsTopology.build(topics, config.profiles(), config.identity(), config.segments(), partitions);
        LOG.info(
                "analytics starting: application id {}, state dir {}, {} stream thread(s), segments {}",
                config.applicationId(),
                config.stateDir().toAbsolutePath(),
                config.streamThreads(),
                config.segments().segments().stream().map(Segment::id).toList());
        LOG.debug("analytics topology:\n{}", topology.describe());

        // The query API binds first: application.server must carry its actual port (0 = chosen now).
        PrometheusMeterRegistry registry = Metrics.create(SERVICE);
        AtomicReference<KafkaStreams> created = new AtomicReference<>();
        Health health = new Health()
                .readiness("streams", () -> streamsReady(created.get()))
                .liveness("streams", () -> streamsAlive(created.get()));
        // the identity rules the topology runs with (external ids, phone region)
        ProfileQueryApi queries = new ProfileQueryApi(config.segments(), config.identity());
        SegmentApi segmentApi =
                new SegmentApi(platform, config.segments(), config.profiles().historySums());
        HttpServer http;
        try {
            http = HttpServer.start(SERVICE, config.host(), config.port(), health, registry, routes -> {
                queries.register(routes);
                segmentApi.register(routes);
            });
        } catch (RuntimeException e) {
            queries.close();
            segmentApi.close();
            registry.close();
            throw e;
        }
        HostInfo self = QueryAddress.hostInfo(config.advertisedHost(), http.port());

        KafkaStreams streams = null;
        KafkaStreamsMetrics streamsMetrics;
        try {
            Map<String, Object> overrides = new HashMap<>(AnalyticsTopology.requiredStreamsConfig(topics));
            overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
            overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, QueryAddress.of(self));
            Map<String, Object> streamsConfig =
                    platform.kafka().streams(config.applicationId(), config.stateDir(), overrides);
            streams = new KafkaStreams(topology, new StreamsConfig(streamsConfig));
            streams.setUncaughtExceptionHandler(
                    new StreamFailurePolicy(MAX_THREAD_REPLACEMENTS, THREAD_REPLACEMENT_WINDOW, Clock.systemUTC()));
            streams.setStateListener((now, before) -> LOG.info("analytics streams {} -> {}", before, now));
            queries.bind(streams, self);
            segmentApi.bind(streams, self);
            created.set(streams);
            streamsMetrics = Metrics.bind(registry, streams);
        } catch (RuntimeException e) {
            http.close();
            queries.close();
            segmentApi.close();
            if (streams != null) {
                streams.close(CLOSE_TIMEOUT);
            }
            registry.close();
            throw e;
        }
        streams.start();
        LOG.info(
                "analytics query API on {}, advertised to the other instances as {}",
                http.baseUrl(),
                QueryAddress.of(self));
        return new AnalyticsService(streams, http, queries, segmentApi, registry, streamsMetrics);
    }

    /**
     * The partition count of {@code cx.events.v1}: the routing repartition topics must match it, so the
     * topology is built for the topic as it is, not as the catalog declares it.
     */
    private static int eventPartitions(PlatformContext platform, Topics topics) {
        String name = topics.events().name();
        try (Admin admin = Admin.create(platform.kafka().admin("analytics-topology"))) {
            return admin.describeTopics(List.of(name))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(name)
                    .partitions()
                    .size();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the partitions of " + name + " (create the topics first: cx topics apply): "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the partitions of " + name + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the partitions of " + name, e);
        }
    }

    private static Health.Status streamsReady(KafkaStreams streams) {
        if (streams == null) {
            return Health.Status.down("starting");
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? Health.Status.UP : Health.Status.down("streams state " + state);
    }

    private static Health.Status streamsAlive(KafkaStreams streams) {
        if (streams == null) {
            return Health.Status.up("starting");
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                ? Health.Status.down("streams state " + state)
                : Health.Status.up("streams state " + state);
    }

    /** {@code http://<host>:<port>} of the query API. */
    public String baseUrl() {
        return http.baseUrl();
    }

    /** The state of the Streams application. */
    public KafkaStreams.State streamsState() {
        return streams.state();
    }

    /**
     * Stops the HTTP server, then Streams (committing what was processed), leaving the consumer group so that a
     * restarted instance gets its tasks at once instead of after the session timeout; idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.close();
        queries.close();
        segmentApi.close();
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT);
        if (!streams.close(leave)) {
            LOG.warn("analytics streams did not close within {}", CLOSE_TIMEOUT);
        }
        streamsMetrics.close();
        registry.close();
        LOG.info("analytics stopped");
    }
}
