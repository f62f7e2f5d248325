package io.cxflow.platform.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Where the Kafka cluster and the schema registry are, and the client configurations cxflow uses,
 * built in one place so every service produces, consumes and streams the same way.
 *
 * <p>Each method returns a new unmodifiable map for the client constructors ({@code new
 * KafkaProducer<>(settings.producer("collector"), keySer, valueSer)}); the overloads taking {@code
 * overrides} put those entries last, for the odd setting a caller needs (more stream threads, a larger
 * fetch).
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param clientIdPrefix prefix of every {@code client.id}, e.g. the service name
 * @param registryUrl base URL of the schema registry, for the serdes; may be null where no Avro is used
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, String registryUrl) {

    /** Default upper bound on producing one record, retries included. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    /** Producer linger: a little batching without visible latency. */
    public static final Duration LINGER = Duration.ofMillis(5);
    /** Producer batch size per partition. */
    public static final int BATCH_BYTES = 128 * 1024;
    /**
     * Linger of a Streams application's producer. Its records become visible only when the transaction commits
     * (every {@value #STREAMS_COMMIT_INTERVAL_MS} ms) and the commit sends what is left, so a linger well below
     * the interval delays nothing anyone can read: the segment benchmark's 200 -> ENTERED p50/p99 at 5,000
     * events/s were 164/396 ms with 20 ms and 165/395 ms with 5 ms, while the batches are four times fuller
     * (Streams CPU per event 85 vs 98 us there, 115-127 vs 126-141 us in the analytics benchmark).
     */
    public static final Duration STREAMS_LINGER = Duration.ofMillis(20);
    /** Exactly-once commit interval of Streams applications: end-to-end latency is bounded by it. */
    public static final long STREAMS_COMMIT_INTERVAL_MS = 100;

    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is empty");
        }
        if (clientIdPrefix.isBlank()) {
            throw new IllegalArgumentException("clientIdPrefix is empty");
        }
    }

    /** The {@code client.id} of a client of this service: {@code <prefix>-<name>}. */
    public String clientId(String name) {
        return clientIdPrefix + "-" + Objects.requireNonNull(name, "name");
    }

    /** An idempotent {@code acks=all} producer; see {@link #producer(String, Duration, Map)}. */
    public Map<String, Object> producer(String name) {
        return producer(name, DEFAULT_DELIVERY_TIMEOUT, Map.of());
    }

    /**
     * An idempotent producer that acknowledges only once every in-sync replica has the record: {@code
     * acks=all}, {@code enable.idempotence=true}, lz4, 5 ms linger, 128 KB batches.
     *
     * <p>{@code deliveryTimeout} bounds the whole life of a {@code send}: {@code delivery.timeout.ms} is
     * set to it, {@code max.block.ms} (waiting for metadata or buffer space) too, and {@code
     * request.timeout.ms} to the smaller of 30 s and what the delivery timeout leaves after the linger.
     * So a caller waiting on the returned future has an answer, success or failure, within about {@code
     * deliveryTimeout} even while the cluster is down.
     *
     * @param deliveryTimeout at least 1 s
     */
    public Map<String, Object> producer(String name, Duration deliveryTimeout, Map<String, ?> overrides) {
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 1 s: " + deliveryTimeout);
        }
        long delivery = deliveryTimeout.toMillis();
        long request = Math.min(MAX_REQUEST_TIMEOUT.toMillis(), delivery - LINGER.toMillis());
        Map<String, Object> c = base(name);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis());
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, delivery));
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        return finish(c, overrides);
    }

    /** A {@code read_committed} consumer; see {@link #consumer(String, String, Map)}. */
    public Map<String, Object> consumer(String name, String groupId) {
        return consumer(name, groupId, Map.of());
    }

    /**
     * A consumer that sees only committed records ({@code isolation.level=read_committed}), starts at
     * the earliest offset when its group has none, and never commits by itself: the caller commits after
     * processing (at-least-once).
     *
     * @param groupId the consumer group; null for a consumer that only uses {@code assign}
     */
    public Map<String, Object> consumer(String name, String groupId, Map<String, ?> overrides) {
        Map<String, Object> c = base(name);
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return finish(c, overrides);
    }

    /** An admin client. */
    public Map<String, Object> admin(String name) {
        Map<String, Object> c = base(name);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return finish(c, Map.of());
    }

    /** The base config of a Kafka Streams application; see {@link #streams(String, Path, Map)}. */
    public Map<String, Object> streams(String applicationId, Path stateDir) {
        return streams(applicationId, stateDir, Map.of());
    }

    /**
     * A Kafka Streams application with {@code exactly_once_v2}, a {@value #STREAMS_COMMIT_INTERVAL_MS}
     * ms commit interval, {@code ensure.explicit.internal.resource.naming=true} (the application refuses
     * to start when a store, repartition or changelog topic has a generated name), its state under
     * {@code stateDir}, and lz4 and a {@link #STREAMS_LINGER} linger on its producers.
     */
    public Map<String, Object> streams(String applicationId, Path stateDir, Map<String, ?> overrides) {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        c.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(StreamsConfig.CLIENT_ID_CONFIG, clientId(applicationId));
        c.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        c.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, STREAMS_COMMIT_INTERVAL_MS);
        c.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        c.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        c.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        c.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) STREAMS_LINGER.toMillis());
        return finish(c, overrides);
    }

    private Map<String, Object> base(String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(name));
        return c;
    }

    private static Map<String, Object> finish(Map<String, Object> c, Map<String, ?> overrides) {
        Objects.requireNonNull(overrides, "overrides").forEach((k, v) -> c.put(k, v));
        return Collections.unmodifiableMap(c);
    }
}
