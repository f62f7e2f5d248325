package io.cxflow.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * The declaration of one topic: its base name, layout and record types. A {@link TopicSpec} holds no
 * serdes; bind it to serdes with {@link Topics#topic(TopicSpec)}.
 *
 * @param baseName the topic name without any namespace prefix, e.g. {@code cx.events.v1}
 * @param partitions partition count
 * @param cleanup cleanup policy
 * @param retention how long records are kept; {@code null} keeps them forever
 * @param keyType the key type: {@code String} for every catalog topic
 * @param valueType the Avro value type
 * @param description what the topic carries
 */
public record TopicSpec<K, V extends SpecificRecord>(
        String baseName,
        int partitions,
        CleanupPolicy cleanup,
        Duration retention,
        Class<K> keyType,
        Class<V> valueType,
        String description) {

    public TopicSpec {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + baseName);
        }
    }

    /**
     * The topic-level configs Kafka is given when the topic is created. Durability settings such as {@code
     * min.insync.replicas} are left to the cluster's defaults: 1 on the single-node local default, typically 2 on a
     * replicated production cluster.
     */
    public Map<String, String> topicConfig() {
        String retentionMs = retention == null ? "-1" : Long.toString(retention.toMillis());
        if (cleanup == CleanupPolicy.COMPACT) {
            return Map.of("cleanup.policy", cleanup.kafkaValue());
        }
        return Map.of("cleanup.policy", cleanup.kafkaValue(), "retention.ms", retentionMs);
    }
}
