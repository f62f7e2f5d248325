package io.cxflow.testkit;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.schemas.SerdeProvider;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What one test sees of the shared cluster: its own topic prefix (so topics never collide between tests), ids,
 * serdes bound to the real registry, and small helpers to produce and read records.
 */
public final class TestPlatform {

    private final TestCluster cluster;
    private final String id;
    private final Topics topics;

    TestPlatform(TestCluster cluster, String id) {
        this.cluster = cluster;
        this.id = id;
        this.topics = new Topics(cluster.serdes(), id + ".");
    }

    /** This test's namespace, e.g. {@code t1x2-3-shouldacceptbatches}. */
    public String id() {
        return id;
    }

    /** An id unique to this test, e.g. for a Kafka Streams application id or a consumer group. */
    public String uniqueId(String base) {
        return id + "-" + base;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public String registryUrl() {
        return cluster.registryUrl();
    }

    public SerdeProvider serdes() {
        return cluster.serdes();
    }

    /** The catalog with this test's prefix. */
    public Topics topics() {
        return topics;
    }

    /**
     * A {@link PlatformContext} on this test's namespace, with the local profile (development keys allowed) and
     * the given admin token.
     */
    public PlatformContext context(String adminToken) {
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.LOCAL, bootstrapServers(), registryUrl(), topics.prefix(), adminToken);
        return new PlatformContext(new KafkaSettings(bootstrapServers(), id, registryUrl()), serdes(), topics, common);
    }

    /** {@link #context(String)} with the development admin token. */
    public PlatformContext context() {
        return context(CommonConfig.DEV_ADMIN_TOKEN);
    }

    public Admin admin() {
        return cluster.admin();
    }

    public TestCluster cluster() {
        return cluster;
    }

    /** Creates every catalog topic under this test's prefix. */
    public TestPlatform createTopics() {
        TopicAdmin.apply(cluster.admin(), Topics.ALL, topics.prefix());
        return this;
    }

    /** Produces records (acks=all) and waits until the broker acknowledged each. */
    @SafeVarargs
    public final <V extends SpecificRecord> List<RecordMetadata> produce(
            Topic<String, V> topic, KeyValue<V>... records) {
        return produce(topic, List.of(records));
    }

    public <V extends SpecificRecord> List<RecordMetadata> produce(Topic<String, V> topic, List<KeyValue<V>> records) {
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<String, V> producer = producer(topic)) {
            List<java.util.concurrent.Future<RecordMetadata>> pending = new ArrayList<>();
            for (KeyValue<V> kv : records) {
                pending.add(producer.send(new ProducerRecord<>(topic.name(), kv.key(), kv.value())));
            }
            for (java.util.concurrent.Future<RecordMetadata> f : pending) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("producing to " + topic.name() + " failed", e);
        }
        return out;
    }

    /** A producer for a topic (caller closes it). */
    public <V extends SpecificRecord> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, uniqueId("producer-" + UUID.randomUUID()));
        return new KafkaProducer<>(
                p, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * Reads a topic from the beginning (read_committed) until {@code done} holds for the records read so far, or
     * fails when the timeout passes first, listing what was read.
     */
    public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readUntil(
            Topic<String, V> topic, Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, V> consumer = consumer(topic)) {
            consumer.subscribe(List.of(topic.name()));
            while (!done.test(seen)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("timed out after " + timeout + " reading " + topic.name() + "; read "
                            + seen.size() + " records: " + summary(seen));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /** Reads until at least {@code count} records were read. */
    public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAtLeast(
            Topic<String, V> topic, int count, Duration timeout) {
        return readUntil(topic, r -> r.size() >= count, timeout);
    }

    /** Reads everything currently on the topic: polls until the end offsets seen at the start are reached. */
    public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(
            Topic<String, V> topic, Duration timeout) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, V> consumer = consumer(topic)) {
            var partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("timed out reading " + topic.name() + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    private <V extends SpecificRecord> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueId("reader-" + UUID.randomUUID()));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(
                p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static <V> String summary(List<ConsumerRecord<String, V>> records) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(records.size(), 10); i++) {
            ConsumerRecord<String, V> r = records.get(i);
            sb.append("\n  ").append(r.key()).append(" -> ").append(r.value());
        }
        if (records.size() > 10) {
            sb.append("\n  … ").append(records.size() - 10).append(" more");
        }
        return sb.toString();
    }

    /** A key and a value to produce. */
    public record KeyValue<V>(String key, V value) {
        public static <V> KeyValue<V> of(String key, V value) {
            return new KeyValue<>(key, value);
        }
    }
}
