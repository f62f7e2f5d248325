package io.cxflow.bench.analytics;

import io.cxflow.platform.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the state of a Streams application costs: on its output topic, on local disk, and in its changelogs. */
final class StateCost {

    private StateCost() {}

    /**
     * The latest value of every key of an output topic, read from given offsets to its end (read_committed).
     *
     * @param records records read (every version of every key, tombstones included)
     * @param values the latest value of every key whose latest record is not a tombstone
     */
    record Latest(long records, Map<String, byte[]> values) {

        long keys() {
            return values.size();
        }

        double meanBytes() {
            return values.isEmpty()
                    ? 0
                    : values.values().stream().mapToLong(v -> v.length).sum() / (double) values.size();
        }
    }

    /** The current end offsets (read_committed: the last stable offsets) of every partition of {@code topic}. */
    static Map<TopicPartition, Long> endOffsets(KafkaSettings kafka, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            return consumer.endOffsets(partitions(consumer, topic), Duration.ofSeconds(30));
        }
    }

    /** Reads {@code topic} from its beginning to its end and keeps each key's latest value. */
    static Latest latest(KafkaSettings kafka, String topic) {
        return latest(kafka, topic, Map.of());
    }

    /**
     * Reads {@code topic} from {@code from} (the beginning for partitions it does not name) to its end and keeps
     * each key's latest value.
     */
    static Latest latest(KafkaSettings kafka, String topic, Map<TopicPartition, Long> from) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<String, byte[]> values = new HashMap<>();
            long records = 0;
            long idle = System.nanoTime();
            while (!reached(consumer, ends)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : batch) {
                    records++;
                    if (r.value() == null) {
                        values.remove(r.key());
                    } else {
                        values.put(r.key(), r.value());
                    }
                }
                if (!batch.isEmpty()) {
                    idle = System.nanoTime();
                } else if (System.nanoTime() - idle > 30_000_000_000L) {
                    throw new IllegalStateException("no record of " + topic + " for 30 s before its end " + ends);
                }
            }
            return new Latest(records, values);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaSettings kafka) {
        return new KafkaConsumer<>(
                kafka.consumer("bench-state-cost", null, Map.of("max.poll.records", 5000)),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes on disk under an application's state folder ({@code <state dir>/<application id>}), by store: the
     * folder under {@code <task>/rocksdb/} for key-value stores, the folder under {@code <task>/} for segmented
     * (window) stores; everything else (checkpoints, lock files) under {@code other}.
     */
    static Map<String, Long> diskBytesByStore(Path appStateDir) {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(appStateDir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(appStateDir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                Path rel = appStateDir.relativize(f);
                String store = "other";
                if (rel.getNameCount() >= 3) {
                    store = rel.getName(1).toString().equals("rocksdb") && rel.getNameCount() >= 4
                            ? rel.getName(2).toString()
                            : rel.getName(1).toString();
                }
                try {
                    out.merge(store, Files.size(f), Long::sum);
                } catch (IOException e) {
                    // a file RocksDB removed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state folder " + appStateDir, e);
        }
        return out;
    }

    /** Bytes of every topic whose name {@code matches} on every broker's log directories, by topic. */
    static Map<String, Long> topicBytes(Admin admin, Predicate<String> matches) {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get();
            List<Integer> ids = nodes.stream().map(Node::id).toList();
            Map<Integer, Map<String, LogDirDescription>> dirs =
                    admin.describeLogDirs(ids).allDescriptions().get();
            Map<String, Long> out = new TreeMap<>();
            dirs.values().forEach(byDir -> byDir.values()
                    .forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                        if (matches.test(tp.topic())) {
                            out.merge(tp.topic(), info.size(), Long::sum);
                        }
                    })));
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the log directories", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
