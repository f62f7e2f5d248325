package io.cxflow.bench.analytics;

import io.cxflow.bench.kafka.GroupOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Watches a Kafka Streams application until it has processed everything: its consumer group's committed offsets
 * equal the end offsets on the input topic and on every {@code <application id>-…-repartition} topic (and any
 * other partition the group has committed).
 *
 * <p>Repartition topics are written in transactions ({@code exactly_once_v2}), so the last entry of a
 * partition is a transaction marker, which no consumer returns. Streams commits the consumer's position, which
 * steps over the marker once it was fetched; when a committed offset is one short of the end, the entry there is
 * read once with a {@code read_uncommitted} consumer: if it is a marker (nothing returned, position moves
 * past it), the partition is fully processed.
 */
final class CompletionWatch {

    private static final long POLL_MILLIS = 100;

    /**
     * @param seconds from the start to the moment every committed offset reached its end offset
     * @param runningSeconds from the start to the first time the application was seen RUNNING
     * @param inputSeconds from the start to the first time every input offset was committed (internal topics may
     *     still hold work then)
     * @param repartitionTopics the repartition topics that were watched
     * @param timeline input events committed in each second since the start
     */
    record Outcome(
            double seconds,
            double runningSeconds,
            double inputSeconds,
            List<String> repartitionTopics,
            List<Long> timeline) {}

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> probe;
    private final String groupId;
    private final Map<TopicPartition, Long> inputEnds;
    private final Map<TopicPartition, Long> markerChecked = new HashMap<>();
    private final Map<String, List<TopicPartition>> repartition = new TreeMap<>();
    private long lastTopicListing;

    /**
     * @param probe a {@code read_uncommitted} byte consumer without a group, to tell markers from records
     * @param groupId the application id
     * @param inputEnds the end offsets of the input topic, which nothing writes during the run
     */
    CompletionWatch(
            Admin admin, KafkaConsumer<byte[], byte[]> probe, String groupId, Map<TopicPartition, Long> inputEnds) {
        this.admin = admin;
        this.probe = probe;
        this.groupId = groupId;
        this.inputEnds = Map.copyOf(inputEnds);
    }

    /**
     * Polls every {@value #POLL_MILLIS} ms until done.
     *
     * @param startNanos {@link System#nanoTime()} when the application was started
     * @param state the application's state; ERROR or NOT_RUNNING ends the wait with an exception
     * @throws IllegalStateException when the application fails or the timeout passes first
     */
    Outcome await(long startNanos, Supplier<KafkaStreams.State> state, Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        double running = -1;
        double inputDone = -1;
        long inputTotal = inputEnds.values().stream().mapToLong(Long::longValue).sum();
        List<Long> timeline = new ArrayList<>();
        long lastSecondCommitted = 0;
        long nextSecond = startNanos + 1_000_000_000L;
        while (true) {
            long now = System.nanoTime();
            KafkaStreams.State s = state.get();
            if (s == KafkaStreams.State.ERROR
                    || s == KafkaStreams.State.PENDING_ERROR
                    || s == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException(groupId + " stopped (state " + s + ") before processing every event");
            }
            if (running < 0 && s == KafkaStreams.State.RUNNING) {
                running = (now - startNanos) / 1e9;
            }
            // committed offsets first, end offsets after: an end offset is never older than the commit it is
            // compared with, so a partition can only look done when it is
            Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, groupId);
            long inputCommitted = 0;
            for (TopicPartition tp : inputEnds.keySet()) {
                inputCommitted += committed.getOrDefault(tp, 0L);
            }
            if (inputDone < 0 && inputCommitted == inputTotal) {
                inputDone = (now - startNanos) / 1e9;
            }
            while (now >= nextSecond) {
                timeline.add(inputCommitted - lastSecondCommitted);
                lastSecondCommitted = inputCommitted;
                nextSecond += 1_000_000_000L;
            }
            if (s == KafkaStreams.State.RUNNING && inputCommitted == inputTotal && done(committed)) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                timeline.add(inputCommitted - lastSecondCommitted);
                return new Outcome(
                        seconds, running, inputDone, List.copyOf(repartition.keySet()), List.copyOf(timeline));
            }
            if (now > deadline) {
                throw new IllegalStateException(String.format(
                        "%s processed %,d of %,d input events within %s; committed offsets %s",
                        groupId, inputCommitted, inputTotal, timeout, new TreeMap<>(stringKeys(committed))));
            }
            sleep(POLL_MILLIS);
        }
    }

    private boolean done(Map<TopicPartition, Long> committed) {
        refreshRepartitionTopics();
        Set<TopicPartition> watched = new HashSet<>(committed.keySet());
        repartition.values().forEach(watched::addAll);
        watched.removeAll(inputEnds.keySet());
        if (watched.isEmpty()) {
            return true;
        }
        Map<TopicPartition, Long> ends = GroupOffsets.endOffsets(admin, watched);
        for (TopicPartition tp : watched) {
            long end = ends.get(tp);
            long at = committed.getOrDefault(tp, 0L);
            if (at == end) {
                continue;
            }
            if (at == end - 1 && isMarker(tp, at)) {
                continue;
            }
            return false;
        }
        return true;
    }

    /** Whether the entry at {@code offset} is a transaction marker (remembered per partition and offset). */
    private boolean isMarker(TopicPartition tp, long offset) {
        Long known = markerChecked.get(tp);
        if (known != null && known == offset) {
            return true;
        }
        probe.assign(List.of(tp));
        probe.seek(tp, offset);
        ConsumerRecords<byte[], byte[]> records = probe.poll(Duration.ofMillis(500));
        boolean marker = records.isEmpty() && probe.position(tp) > offset;
        if (marker) {
            markerChecked.put(tp, offset);
        }
        return marker;
    }

    private void refreshRepartitionTopics() {
        long now = System.nanoTime();
        if (now - lastTopicListing < 1_000_000_000L) {
            return;
        }
        lastTopicListing = now;
        List<String> names = GroupOffsets.repartitionTopics(admin, groupId).stream()
                .filter(n -> !repartition.containsKey(n))
                .toList();
        if (!names.isEmpty()) {
            repartition.putAll(GroupOffsets.partitions(admin, names));
        }
    }

    private static Map<String, Long> stringKeys(Map<TopicPartition, Long> offsets) {
        Map<String, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp.toString(), o));
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
