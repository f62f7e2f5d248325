package io.cxflow.collector;

import io.cxflow.collector.http.TrackingApi;
import io.cxflow.collector.http.TrackingRoutes;
import io.cxflow.collector.message.PayloadParser;
import io.cxflow.collector.publish.EventPublisher;
import io.cxflow.collector.source.Source;
import io.cxflow.collector.source.Sources;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.http.Health;
import io.cxflow.platform.http.HttpServer;
import io.cxflow.platform.metrics.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector: the Segment-compatible tracking API publishing to {@code cx.events.v1}. See {@code
 * collector/DESIGN.md}.
 */
public final class CollectorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorService.class);
    private static final String SERVICE = "collector";
    private static final long READY_CHECK_MILLIS = 1_500;

    private final Deque<AutoCloseable> resources;
    private final HttpServer http;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CollectorService(Deque<AutoCloseable> resources, HttpServer http) {
        this.resources = resources;
        this.http = http;
    }

    /**
     * Starts the tracking API and returns once it accepts requests.
     *
     * @throws io.cxflow.platform.config.ConfigException when a source uses a documented development key
     *     outside the local profile
     * @throws IllegalStateException when the port cannot be bound
     */
    public static CollectorService start(CollectorConfig config, PlatformContext platform) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(platform, "platform");
        for (Source s : config.sources()) {
            platform.common()
                    .refuseDevelopmentSecret(CollectorConfig.SOURCES_PREFIX + s.id() + ".write-key", s.writeKey());
        }
        LOG.info("collector configuration:\n{}", config);

        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry meters = Metrics.create(SERVICE);
            resources.push(meters::close);

            Map<String, Object> producerConfig = platform.kafka()
                    .producer(
                            SERVICE,
                            config.deliveryTimeout(),
                            Map.of(
                                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                    config.publishTimeout().toMillis()));
            KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
            KafkaClientMetrics producerMetrics = Metrics.bind(meters, producer);
            EventPublisher publisher = new EventPublisher(
                    producer,
                    platform.topics().events(),
                    platform.topics().rejected(),
                    config.maxInFlightBytes(),
                    meters);
            resources.push(publisher);
            resources.push(producerMetrics);

            Admin admin = Admin.create(platform.kafka().admin(SERVICE + "-health"));
            resources.push(admin);
            String eventsTopic = platform.topics().events().name();
            Health health = new Health().readiness("kafka", () -> {
                admin.describeTopics(List.of(eventsTopic))
                        .allTopicNames()
                        .get(READY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                return Health.Status.up(eventsTopic + " reachable");
            });

            Sources sources = new Sources(config.sources());
            TrackingApi api = new TrackingApi(
                    sources,
                    new PayloadParser(config.jsonLimits()),
                    publisher,
                    new TrackingApi.Limits(
                            config.maxMessageBytes(),
                            config.maxBatchBytes(),
                            config.publishTimeout(),
                            config.retryAfter()),
                    meters,
                    Clock.systemUTC());
            HttpServer http = HttpServer.start(
                    HttpServer.Settings.of(SERVICE, config.host(), config.port())
                            .withMaxRequestBytes(Math.max(config.maxBatchBytes(), config.maxMessageBytes())),
                    health,
                    meters,
                    routes -> TrackingRoutes.register(
                            routes, api, sources, config.trustForwardedFor(), config.corsMaxAge()));
            resources.push(http);
            LOG.info(
                    "collector accepting events at {} for {} source(s), publishing to {}",
                    http.baseUrl(),
                    sources.all().size(),
                    eventsTopic);
            return new CollectorService(resources, http);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return http.baseUrl();
    }

    /** The bound port. */
    public int port() {
        return http.port();
    }

    /** Stops accepting requests, then flushes and closes the producer; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(resources);
            LOG.info("collector stopped");
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r, e.toString());
            }
        }
    }
}
