package io.cxflow.activation.ledger;

import io.cxflow.activation.kafka.TopicFollower;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on a compacted topic keyed by customer id, whose value is the customer's whole history
 * as JSON ({@link LedgerCodec}). Every instance follows the whole topic into memory; a write goes to
 * the topic first ({@code acks=all}, idempotent producer) and counts only once acknowledged. The topic
 * has as many partitions as {@code cx.segment-membership.v1}, so a customer's ledger and membership
 * changes share a partition number, and a new owner of a membership partition waits ({@link
 * #awaitCaughtUp}) until it has read every ledger record the previous owner wrote before it
 * processes that partition.
 */
public final class KafkaLedger implements Ledger {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);
    private static final int STRIPES = 4096;

    private final Producer<String, String> producer;
    private final Consumer<String, String> probe;
    private final TopicFollower<String> follower;
    private final String topic;
    private final LedgerCodec codec;
    private final Clock clock;
    private final Duration retention;
    private final Duration writeTimeout;
    private final Map<String, CustomerHistory> histories = new ConcurrentHashMap<>();
    private final Set<String> withPending = ConcurrentHashMap.newKeySet();
    private final Object[] stripes = new Object[STRIPES];

    /**
     * @param producer an idempotent {@code acks=all} producer; the ledger closes it
     * @param follower a consumer without a group; the ledger owns it
     * @param probe a consumer without a group used for end offsets; the ledger closes it
     * @param retention how long entries other than deferred ones are kept
     */
    public KafkaLedger(
            Producer<String, String> producer,
            Consumer<String, String> follower,
            Consumer<String, String> probe,
            String topic,
            LedgerCodec codec,
            Clock clock,
            Duration retention,
            Duration writeTimeout,
            Duration pollTimeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        this.follower = new TopicFollower<>(follower, topic, null, pollTimeout, this::onRecord, "cx-activation-ledger");
    }

    /**
     * Creates the compacted ledger topic with {@code partitions} partitions when it does not exist
     * (replication: the brokers' default); fails when it exists with another partition count.
     */
    public static void ensureTopic(Admin admin, String topic, int partitions, Duration timeout) {
        ensurePartitionedLikeMembership(
                admin,
                topic,
                partitions,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                        "0"),
                timeout);
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and {@code configs} when it does not exist
     * (replication: the brokers' default); fails when it exists with another partition count. For the
     * activation topics keyed by customer id whose partitions follow the membership topic's.
     */
    public static void ensurePartitionedLikeMembership(
            Admin admin, String topic, int partitions, Map<String, String> configs, Duration timeout) {
        try {
            try {
                admin.createTopics(List.of(
                                new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())
                                        .configs(configs)))
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("created topic {} with {} partition(s)", topic, partitions);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the topic " + topic, e.getCause());
                }
            }
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            if (description.partitions().size() != partitions) {
                throw new IllegalStateException("topic " + topic + " has "
                        + description.partitions().size()
                        + " partitions but the membership topic has " + partitions
                        + "; they must match (a customer's records follow their membership partition)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check the topic " + topic, e);
        }
    }

    /**
     * Starts following the topic from its beginning, once its metadata is visible (a topic created
     * just before may take a moment to reach every broker).
     *
     * @throws IllegalStateException when the topic does not become visible within 30 s
     */
    public void start() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<org.apache.kafka.common.PartitionInfo> infos;
            synchronized (probe) {
                infos = probe.partitionsFor(topic, Duration.ofSeconds(5));
            }
            if (infos != null && !infos.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ledger topic " + topic + " is not visible to consumers");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the ledger topic " + topic, e);
            }
        }
        follower.start();
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    public String topic() {
        return topic;
    }

    private void onRecord(ConsumerRecord<String, String> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        try {
            apply(record.key(), codec.read(record.value()));
        } catch (IllegalArgumentException e) {
            log.error(
                    "skipping unreadable ledger record {}-{} offset {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    private void apply(String customerId, CustomerHistory history) {
        histories.merge(customerId, history, (old, neu) -> neu.seq() > old.seq() ? neu : old);
        if (histories.get(customerId).pending().isEmpty()) {
            withPending.remove(customerId);
        } else {
            withPending.add(customerId);
        }
    }

    /**
     * Waits until every ledger record written so far to {@code partitions} has been read.
     *
     * @return whether it did within {@code timeout}
     */
    public boolean awaitCaughtUp(Collection<Integer> partitions, Duration timeout) throws InterruptedException {
        List<TopicPartition> tps = new ArrayList<>();
        partitions.forEach(p -> tps.add(new TopicPartition(topic, p)));
        Map<TopicPartition, Long> ends;
        synchronized (probe) {
            ends = probe.endOffsets(tps, timeout);
        }
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() > 0 && !follower.awaitApplied(end.getKey().partition(), end.getValue() - 1, timeout)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CustomerHistory history(String customerId) {
        return histories.getOrDefault(customerId, CustomerHistory.empty());
    }

    @Override
    public CustomerHistory append(String customerId, LedgerEntry entry) throws InterruptedException {
        synchronized (lock(customerId)) {
            CustomerHistory next = history(customerId).with(entry, clock.instant(), retention);
            try {
                producer.send(new ProducerRecord<>(topic, customerId, codec.write(next)))
                        .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new LedgerException("ledger write to " + topic + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new LedgerException("ledger write to " + topic + " not acknowledged in " + writeTimeout, e);
            } catch (RuntimeException e) {
                throw new LedgerException("ledger write to " + topic + " refused", e);
            }
            apply(customerId, next);
            return next;
        }
    }

    @Override
    public Object lock(String customerId) {
        return stripes[Math.floorMod(customerId.hashCode(), STRIPES)];
    }

    @Override
    public Collection<String> customersWithPending() {
        return List.copyOf(withPending);
    }

    /** Stops following; closes the consumers and the producer. */
    @Override
    public void close() {
        follower.close();
        synchronized (probe) {
            probe.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
