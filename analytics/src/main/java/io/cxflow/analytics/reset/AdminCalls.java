package io.cxflow.analytics.reset;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InterruptException;

/** The admin round trips of this package, each bounded by a timeout and failing with a message saying what failed. */
final class AdminCalls {

    private final Admin admin;
    private final Duration timeout;

    AdminCalls(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    Admin admin() {
        return admin;
    }

    Duration timeout() {
        return timeout;
    }

    /** Every topic name of the cluster (internal topics such as {@code __consumer_offsets} excluded). */
    Set<String> topicNames() {
        return await(
                admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "list the topics");
    }

    /** Every group of the cluster, whatever its type. */
    Collection<GroupListing> groups() {
        return await(admin.listGroups().all(), "list the groups");
    }

    /** The partitions of existing topics; a topic deleted meanwhile is left out. */
    List<TopicPartition> partitions(Collection<String> topics) {
        if (topics.isEmpty()) {
            return List.of();
        }
        Set<String> existing = new HashSet<>(topicNames());
        List<String> present =
                topics.stream().filter(existing::contains).sorted().toList();
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(present).allTopicNames(), "describe topics " + present);
        return descriptions.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .sorted(java.util.Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition))
                .toList();
    }

    /**
     * The last stable offsets ({@code read_committed}): how far a transactional consumer can read, which is where
     * a caught-up Streams application commits.
     */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.latest());
    }

    /** The earliest offsets still in the log. */
    Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
        return offsets(partitions, OffsetSpec.earliest());
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        var result = await(
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all(),
                "list offsets of " + partitions.size() + " partitions");
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        result.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** The type of a group, or null when the group does not exist. */
    GroupType groupType(String groupId) {
        for (GroupListing group : groups()) {
            if (group.groupId().equals(groupId)) {
                return group.type().orElse(GroupType.CLASSIC);
            }
        }
        return null;
    }

    /** The committed offsets of a group (empty when the group does not exist). */
    Map<TopicPartition, Long> committedOffsets(String groupId) {
        GroupType type = groupType(groupId);
        if (type == null) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = type == GroupType.STREAMS
                    ? await(
                            admin.listStreamsGroupOffsets(Map.of(groupId, new ListStreamsGroupOffsetsSpec()))
                                    .partitionsToOffsetAndMetadata(groupId),
                            "read the committed offsets of group " + groupId)
                    : await(
                            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                            "read the committed offsets of group " + groupId);
        } catch (KafkaException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("could not " + what + " within " + timeout + " (is the cluster reachable?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
