package io.cxflow.bench.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The admin reads the benchmarks' completion checks make: a Streams application's repartition topics,
 * the partitions of topics, a group's committed offsets and end offsets. Failures become {@link
 * IllegalStateException}s naming what could not be read.
 */
public final class GroupOffsets {

    private GroupOffsets() {}

    /** The names of the repartition topics of the Streams application (group) {@code groupId}. */
    public static List<String> repartitionTopics(Admin admin, String groupId) {
        return get(admin.listTopics().names(), "the topics of " + groupId).stream()
                .filter(n -> n.startsWith(groupId + "-") && n.endsWith("-repartition"))
                .toList();
    }

    /** The partitions of each topic. */
    public static Map<String, List<TopicPartition>> partitions(Admin admin, Collection<String> topics) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        get(admin.describeTopics(topics).allTopicNames(), "the partitions of " + topics)
                .forEach((name, d) -> out.put(
                        name,
                        d.partitions().stream()
                                .map(p -> new TopicPartition(name, p.partition()))
                                .toList()));
        return out;
    }

    /** The offsets the group committed (partitions without one are left out). */
    public static Map<TopicPartition, Long> committed(Admin admin, String groupId) {
        Map<TopicPartition, Long> out = new HashMap<>();
        get(
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                        "the committed offsets of group " + groupId)
                .forEach((tp, om) -> {
                    if (om != null) {
                        out.put(tp, om.offset());
                    }
                });
        return out;
    }

    /** The end offsets of the partitions. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(specs).all(), "the end offsets of " + partitions)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what, e);
        }
    }
}
