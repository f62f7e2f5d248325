package io.cxflow.bench.kafka;

import io.cxflow.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records on a topic from its partitions' offsets. Exact for topics written without transactions
 * (as {@code cx.events.v1} is): every offset is one record, and the idempotent producer never writes one twice.
 */
public final class TopicRecords {

    /** Plain end offsets (the high watermark): no transactions write this topic. */
    private static final Map<String, Object> READ_UNCOMMITTED =
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");

    private TopicRecords() {}

    /** The sum of the end offsets of every partition of {@code topic}. */
    public static long endOffsetSum(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.consumer("bench-verify", null, READ_UNCOMMITTED),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Collection<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(List.copyOf(partitions), Duration.ofSeconds(30));
            return end.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The number of partitions of {@code topic}. */
    public static int partitions(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.consumer("bench-verify", null, READ_UNCOMMITTED),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
        }
    }
}
