package io.cxflow.bench.segments;

import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code cx.segment-membership.v1} ({@code read_committed}, from its end when started) on its own thread
 * and remembers, for every ENTERED of the probe segment, the instant ({@link System#nanoTime()}, the same clock
 * as the load driver's) the consumer received it, by the customer's userId. It also counts every membership
 * change it reads.
 */
final class EnteredWatch implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<SegmentMembershipChanged> values;
    private final String topic;
    private final String segmentId;
    private final Map<String, Long> entered = new ConcurrentHashMap<>();
    private final LongAdder enteredRecords = new LongAdder();
    private final LongAdder exitedRecords = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Assigns every partition of the topic at its current end, then starts reading.
     *
     * @param segmentId the probe segment
     */
    EnteredWatch(
            KafkaSettings settings, String topic, Deserializer<SegmentMembershipChanged> values, String segmentId) {
        this.topic = topic;
        this.values = values;
        this.segmentId = segmentId;
        this.consumer = new KafkaConsumer<>(
                settings.consumer("bench-entered-watch", null),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before any probe is sent
        this.thread = Thread.ofPlatform().name("entered-watch").daemon(true).start(this::loop);
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long arrived = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    SegmentMembershipChanged change = values.deserialize(topic, r.value());
                    if (change == null) {
                        continue;
                    }
                    if (change.getChange() == MembershipChange.ENTERED) {
                        enteredRecords.increment();
                    } else {
                        exitedRecords.increment();
                    }
                    if (change.getChange() == MembershipChange.ENTERED && segmentId.equals(change.getSegmentId())) {
                        List<String> userIds = change.getIdentities().get("userId");
                        if (userIds != null) {
                            for (String userId : userIds) {
                                entered.putIfAbsent(userId, arrived);
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure.set(e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** When the ENTERED of the probe segment for this userId arrived; null when it has not (yet). */
    Long enteredAt(String userId) {
        checkAlive();
        return entered.get(userId);
    }

    /** Membership changes read so far: ENTERED records, any segment. */
    long enteredRecords() {
        return enteredRecords.sum();
    }

    /** Membership changes read so far: EXITED records, any segment. */
    long exitedRecords() {
        return exitedRecords.sum();
    }

    private void checkAlive() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("reading " + topic + " failed: " + t, t);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
