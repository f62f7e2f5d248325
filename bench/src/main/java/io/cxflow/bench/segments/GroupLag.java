package io.cxflow.bench.segments;

import io.cxflow.bench.kafka.GroupOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The lag of a Kafka Streams application: per topic, the records of its input topic and of its {@code <application
 * id>-…-repartition} topics that its group has not committed yet (end offset − committed offset), and {@link
 * #awaitDrained} waits until there are none.
 *
 * <p>Repartition topics are written in transactions, so a partition's last entries are commit markers, which
 * no consumer returns and which a committed offset may stop short of. {@link #lag} counts them (a transaction
 * marker or two per partition at most); {@link #awaitDrained} does not: when a committed offset is short of the
 * end, it reads that range once with a {@code read_uncommitted} consumer, and a range that holds no record is
 * drained.
 */
final class GroupLag {

    private static final long POLL_MILLIS = 100;

    /**
     * Records not yet committed, by topic.
     *
     * @param input on the input topic
     * @param repartition on the repartition topics together
     */
    record Snapshot(long input, long repartition) {
        long total() {
            return input + repartition;
        }
    }

    /**
     * A drained application.
     *
     * @param seconds from the start until every committed offset reached its end
     * @param runningSeconds from the start until the application was first seen RUNNING
     * @param inputSeconds from the start until the input alone was committed
     * @param timeline input records committed in each second since the start
     */
    record Drained(double seconds, double runningSeconds, double inputSeconds, List<Long> timeline) {}

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> markers;
    private final String groupId;
    private final String inputTopic;
    private final Map<String, List<TopicPartition>> partitions = new TreeMap<>();
    private long lastListing;

    /**
     * @param markers a {@code read_uncommitted} byte consumer without a group, to tell markers from records
     * @param groupId the application id
     * @param inputTopic the application's input topic
     */
    GroupLag(Admin admin, KafkaConsumer<byte[], byte[]> markers, String groupId, String inputTopic) {
        this.admin = admin;
        this.markers = markers;
        this.groupId = groupId;
        this.inputTopic = inputTopic;
    }

    /** The records not yet committed now (transaction markers included). */
    Snapshot lag() {
        refreshTopics(true);
        Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, groupId);
        Map<TopicPartition, Long> ends = GroupOffsets.endOffsets(admin, allPartitions());
        long input = 0;
        long repartition = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            long behind = Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L));
            if (e.getKey().topic().equals(inputTopic)) {
                input += behind;
            } else {
                repartition += behind;
            }
        }
        return new Snapshot(input, repartition);
    }

    /**
     * Polls every {@value #POLL_MILLIS} ms until the application has committed every record of its input and
     * repartition topics that existed when it was drained (nothing writes the input meanwhile).
     *
     * @param startNanos {@link System#nanoTime()} when the application was started
     * @param state the application's state; ERROR or NOT_RUNNING ends the wait with an exception
     * @throws IllegalStateException when the application stops or the timeout passes first
     */
    Drained awaitDrained(long startNanos, Supplier<KafkaStreams.State> state, Duration timeout) {
        long deadline = startNanos + timeout.toNanos();
        double running = -1;
        double inputDone = -1;
        List<Long> timeline = new ArrayList<>();
        long lastSecond = 0;
        long nextSecond = startNanos + 1_000_000_000L;
        while (true) {
            long now = System.nanoTime();
            KafkaStreams.State s = state.get();
            if (s == KafkaStreams.State.ERROR
                    || s == KafkaStreams.State.PENDING_ERROR
                    || s == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException(groupId + " stopped (state " + s + ") before it processed its input");
            }
            if (running < 0 && s == KafkaStreams.State.RUNNING) {
                running = (now - startNanos) / 1e9;
            }
            refreshTopics(false);
            // committed offsets first, end offsets after: an end offset is never older than the commit it is
            // compared with, so a partition can only look drained when it is
            Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, groupId);
            Map<TopicPartition, Long> ends = GroupOffsets.endOffsets(admin, allPartitions());
            long inputCommitted = 0;
            long inputBehind = 0;
            boolean drained = s == KafkaStreams.State.RUNNING;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                if (e.getKey().topic().equals(inputTopic)) {
                    long at = committed.getOrDefault(e.getKey(), 0L);
                    inputCommitted += at;
                    inputBehind += Math.max(0, e.getValue() - at);
                }
            }
            drained &= inputBehind == 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                TopicPartition tp = e.getKey();
                long at = committed.getOrDefault(tp, 0L);
                if (drained && !tp.topic().equals(inputTopic) && at < e.getValue()) {
                    drained = !holdsRecords(tp, at, e.getValue());
                }
            }
            if (inputDone < 0 && inputBehind == 0 && s == KafkaStreams.State.RUNNING) {
                inputDone = (now - startNanos) / 1e9;
            }
            while (now >= nextSecond) {
                timeline.add(inputCommitted - lastSecond);
                lastSecond = inputCommitted;
                nextSecond += 1_000_000_000L;
            }
            if (drained) {
                timeline.add(inputCommitted - lastSecond);
                return new Drained((System.nanoTime() - startNanos) / 1e9, running, inputDone, List.copyOf(timeline));
            }
            if (now > deadline) {
                throw new IllegalStateException(String.format(
                        "%s did not process its input within %s: %,d input records not committed; committed"
                                + " offsets %s",
                        groupId, timeout, inputBehind, committed));
            }
            sleep(POLL_MILLIS);
        }
    }

    /** The repartition topics found so far (they appear once the application has created them). */
    Set<String> repartitionTopics() {
        Set<String> names = new TreeSet<>(partitions.keySet());
        names.remove(inputTopic);
        return names;
    }

    /** Whether {@code [from, to)} of the partition holds a record, not only transaction markers. */
    private boolean holdsRecords(TopicPartition tp, long from, long to) {
        markers.assign(List.of(tp));
        markers.seek(tp, from);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> records = markers.poll(Duration.ofMillis(200));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() < to) {
                    return true;
                }
            }
            if (markers.position(tp) >= to) {
                return false;
            }
        }
        return true; // not read within the deadline: count it as not drained yet
    }

    private List<TopicPartition> allPartitions() {
        List<TopicPartition> all = new ArrayList<>();
        partitions.values().forEach(all::addAll);
        return all;
    }

    private void refreshTopics(boolean now) {
        long t = System.nanoTime();
        if (!now && !partitions.isEmpty() && t - lastListing < 1_000_000_000L) {
            return;
        }
        lastListing = t;
        List<String> names = new ArrayList<>();
        if (!partitions.containsKey(inputTopic)) {
            names.add(inputTopic);
        }
        GroupOffsets.repartitionTopics(admin, groupId).stream()
                .filter(n -> !partitions.containsKey(n))
                .forEach(names::add);
        if (!names.isEmpty()) {
            partitions.putAll(GroupOffsets.partitions(admin, names));
        }
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
