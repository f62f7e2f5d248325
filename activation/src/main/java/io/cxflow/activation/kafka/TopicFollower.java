package io.cxflow.activation.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic (assigned, no consumer group) from a starting point and then
 * follows it for as long as it runs, handing each record to a handler on its own thread. Used for
 * in-memory views that every instance holds completely.
 *
 * <p>{@link #isCaughtUp()} turns true once the follower has read up to the end offsets the topic had
 * at {@link #start()}; {@link #awaitApplied} waits until a given record has been handed to the handler
 * (read-your-writes for a writer that knows the offset it wrote).
 */
public final class TopicFollower<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final org.apache.kafka.clients.consumer.Consumer<String, V> consumer;
    private final String topic;
    private final Instant from;
    private final Duration pollTimeout;
    private final Consumer<ConsumerRecord<String, V>> handler;
    private final Object progress = new Object();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Map<Integer, Long> startEndOffsets = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread loop;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile Runnable onCaughtUp = () -> {};

    /**
     * @param consumer a consumer without a group id; the follower owns and closes it
     * @param from where to start reading: the first offset at or after this time in every partition,
     *     or the beginning when {@code null}
     * @param handler called on the follower's thread for every record, in offset order per partition
     */
    public TopicFollower(
            org.apache.kafka.clients.consumer.Consumer<String, V> consumer,
            String topic,
            Instant from,
            Duration pollTimeout,
            Consumer<ConsumerRecord<String, V>> handler,
            String threadName) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.from = from;
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.loop = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /**
     * Assigns every partition, positions the consumer, notes the end offsets and starts following.
     *
     * @throws IllegalStateException when the topic does not exist
     */
    public void start() {
        start(() -> {});
    }

    /**
     * As {@link #start()}, and runs {@code onCaughtUp} once, on the follower's thread, as soon as {@link
     * #isCaughtUp()} turns true.
     */
    public void start(Runnable onCaughtUp) {
        this.onCaughtUp = Objects.requireNonNull(onCaughtUp, "onCaughtUp");
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create the catalog topics first");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        if (from == null) {
            consumer.seekToBeginning(partitions);
        } else {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp at = offsets.get(tp);
                consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
            }
        }
        synchronized (progress) {
            ends.forEach((tp, end) -> startEndOffsets.put(tp.partition(), end));
        }
        running = true;
        loop.start();
    }

    public String topic() {
        return topic;
    }

    /** Whether everything the topic held at {@link #start()} has been handled. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Whether the follower is still following the topic. */
    public boolean isRunning() {
        return running && loop.isAlive();
    }

    /** Waits until {@link #isCaughtUp()}; returns whether it did within {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!caughtUp) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return caughtUp;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
            return true;
        }
    }

    /**
     * Waits until the record at {@code offset} of {@code partition} has been handled; returns whether
     * it was within {@code timeout}.
     */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (positions.getOrDefault(partition, -1L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
            return true;
        }
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, V> records;
                try {
                    records = consumer.poll(pollTimeout);
                } catch (RecordDeserializationException e) {
                    UnreadableRecords.skip(consumer, e, log);
                    continue;
                }
                for (ConsumerRecord<String, V> record : records) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        log.error(
                                "skipping record {}-{} offset {}: the handler failed",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e);
                    }
                }
                publishProgress();
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("follower of {} woken up while running", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("follower of {} stopped", topic, e);
        } finally {
            running = false;
            synchronized (progress) {
                progress.notifyAll();
            }
            closeConsumer();
        }
    }

    private void publishProgress() {
        Map<Integer, Long> now = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            now.put(tp.partition(), consumer.position(tp));
        }
        boolean justCaughtUp = false;
        synchronized (progress) {
            positions.putAll(now);
            if (!caughtUp) {
                boolean all = true;
                for (Map.Entry<Integer, Long> end : startEndOffsets.entrySet()) {
                    if (positions.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    caughtUp = true;
                    justCaughtUp = true;
                    log.info("caught up with {}", topic);
                }
            }
            progress.notifyAll();
        }
        if (justCaughtUp) {
            onCaughtUp.run();
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            log.warn("closing the consumer of {} failed", topic, e);
        }
    }

    /** Stops following and closes the consumer; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (loop.getState() == Thread.State.NEW) {
            closeConsumer();
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
