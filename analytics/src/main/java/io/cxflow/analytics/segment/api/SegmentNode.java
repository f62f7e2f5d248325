package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.query.QueryAddress;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.platform.http.HttpProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance as the segments API sees it: the Kafka Streams client and the address it advertises in
 * {@code application.server}, {@linkplain #bind bound} once before Streams starts. It reads the global
 * definitions store, the partitions of a partitioned store that this instance's active tasks host, how
 * many partitions the store has in all, and which other instances host some of them. Anything that
 * cannot be known now (starting, rebalancing, a store missing from the running topology) is a 503 with
 * {@code Retry-After}.
 */
final class SegmentNode {

    private record Bound(KafkaStreams streams, HostInfo self, String address) {}

    private volatile Bound bound;

    void bind(KafkaStreams streams, HostInfo self) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(self, "self");
        synchronized (this) {
            if (bound != null) {
                throw new IllegalStateException("the segments API is already bound to " + bound.address());
            }
            bound = new Bound(streams, self, QueryAddress.of(self));
        }
    }

    /** {@code host:port} as advertised to the other instances. */
    String address() {
        return bound().address();
    }

    /** The global store of every definition ({@value SegmentStores#DEFINITIONS}). */
    ReadOnlyKeyValueStore<String, SegmentDefinition> definitions() {
        Bound b = bound();
        try {
            return b.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            SegmentStores.DEFINITIONS, QueryableStoreTypes.<String, SegmentDefinition>keyValueStore()));
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw unavailable("the segment definitions store (" + SegmentStores.DEFINITIONS
                    + ") cannot be read now: streams is " + b.streams().state() + " (" + e.getMessage() + ")");
        }
    }

    /**
     * How many partitions {@code store} has across all instances: the partition count of the source topics
     * of its sub-topology, as Kafka Streams places keys.
     */
    int partitionCount(String store) {
        Bound b = bound();
        AtomicInteger count = new AtomicInteger(-1);
        StreamPartitioner<String, Object> capture = (topic, key, value, partitions) -> {
            count.set(partitions);
            return Optional.of(Set.of(0));
        };
        KeyQueryMetadata metadata;
        try {
            metadata = b.streams().queryMetadataForKey(store, "", capture);
        } catch (RuntimeException e) {
            throw unavailable("the placement of store " + store + " is not known now: streams is "
                    + b.streams().state());
        }
        if (metadata == null) {
            throw unavailable("store " + store + " is not part of the running topology");
        }
        if (count.get() < 1) {
            throw unavailable("the placement of store " + store + " is not known now (rebalancing): streams is "
                    + b.streams().state());
        }
        return count.get();
    }

    /**
     * The partitions of {@code store} this instance's active, running tasks host now, by partition. A task
     * that is restoring or moving is left out (its partition is then missing from every instance's answer,
     * which the caller notices).
     */
    <V> Map<Integer, ReadOnlyKeyValueStore<String, V>> localPartitions(String store) {
        Bound b = bound();
        Set<Integer> candidates = new TreeSet<>();
        try {
            for (ThreadMetadata thread : b.streams().metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    candidates.add(task.taskId().partition());
                }
            }
        } catch (RuntimeException e) {
            throw unavailable("the tasks of this instance are not known now: streams is "
                    + b.streams().state());
        }
        Map<Integer, ReadOnlyKeyValueStore<String, V>> out = new LinkedHashMap<>();
        for (int partition : candidates) {
            try {
                ReadOnlyKeyValueStore<String, V> partitionStore = b.streams()
                        .store(StoreQueryParameters.fromNameAndType(
                                        store, QueryableStoreTypes.<String, V>keyValueStore())
                                .withPartition(partition));
                // the store is resolved lazily: a first call tells whether a running active task of this
                // partition holds it here (another sub-topology's task may be the reason the partition is local)
                partitionStore.approximateNumEntries();
                out.put(partition, partitionStore);
            } catch (InvalidStateStoreException | IllegalStateException e) {
                // no running active task of this partition holds the store here
            }
        }
        return out;
    }

    /** The other instances whose active tasks host a partition of {@code store}. */
    List<HostInfo> peers(String store) {
        Bound b = bound();
        List<HostInfo> out = new ArrayList<>();
        try {
            for (StreamsMetadata metadata : b.streams().metadataForAllStreamsClients()) {
                HostInfo host = metadata.hostInfo();
                if (host == null
                        || host.equals(HostInfo.unavailable())
                        || host.equals(b.self())
                        || !metadata.stateStoreNames().contains(store)) {
                    continue;
                }
                out.add(host);
            }
        } catch (RuntimeException e) {
            throw unavailable("the instances of the application are not known now: streams is "
                    + b.streams().state());
        }
        return out;
    }

    private Bound bound() {
        Bound b = bound;
        if (b == null) {
            throw unavailable("the analytics instance is starting");
        }
        return b;
    }

    /** 503 {@code unavailable} with {@code Retry-After: 1}. */
    static HttpProblem unavailable(String message) {
        return HttpProblem.unavailable(message).withHeader("Retry-After", "1");
    }
}
