package io.cxflow.activation.feedback;

import io.cxflow.activation.kafka.TopicFollower;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.PrivacyRequestType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who each activated customer is for analytics: customer id → {@link Recipient} (the routing id of
 * their events). Delivery receipts and email tracking name a decision or a customer, never a routing
 * id, so the directory is how their events reach the right profile.
 *
 * <p>Durable on a <b>compacted topic</b> ({@code <activation.group.id>-recipients}), key = customer
 * id, value = {@code userId:<id>} or {@code anonymousId:<id>}; every instance follows the whole
 * topic into memory (one small entry per activated customer). {@link #remember} writes a customer's
 * recipient, acknowledged by the brokers, before the first delivery attempt of any decision whose
 * recipient is new or changed, so a receipt or an open that follows a delivery always finds it
 * (on any instance, after any restart). Customers deleted through {@code cx.privacy.v1} ({@code
 * DELETE} by customer id, userId or anonymousId) are never resolved again. Thread-safe.
 */
public final class RecipientDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecipientDirectory.class);

    /** What {@link #find} knows about a customer. */
    public sealed interface Lookup {
        /** The customer's recipient. */
        record Found(Recipient recipient) implements Lookup {}

        /** The customer was deleted: nothing may be recorded about them. */
        record Deleted() implements Lookup {}

        /** No decision of the customer ever reached a provider on this deployment (or the id is unknown). */
        record Unknown() implements Lookup {}
    }

    private final Producer<String, String> producer;
    private final TopicFollower<String> follower;
    private final Consumer<String, String> probe;
    private final String topic;
    private final Duration writeTimeout;
    private final Map<String, Recipient> recipients = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    /**
     * @param producer an idempotent {@code acks=all} producer; not closed by the directory
     * @param consumer a consumer without a group id, owned and closed by the directory
     * @param probe a consumer without a group id used to wait for the topic's metadata; owned and closed
     */
    public RecipientDirectory(
            Producer<String, String> producer,
            Consumer<String, String> consumer,
            Consumer<String, String> probe,
            String topic,
            Duration writeTimeout,
            Duration pollTimeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
        this.follower =
                new TopicFollower<>(consumer, topic, null, pollTimeout, this::onRecord, "cx-activation-recipients");
    }

    /**
     * Creates the compacted topic when it does not exist.
     *
     * @throws IllegalStateException when it cannot be created or checked within {@code timeout}
     */
    public static void ensureTopic(Admin admin, String topic, int partitions, Duration timeout) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("created recipient directory topic {} with {} partition(s)", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the recipient directory topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the recipient directory topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the recipient directory topic " + topic + " in time", e);
        }
    }

    /**
     * Starts following the topic from its beginning once its metadata is visible.
     *
     * @throws IllegalStateException when the topic does not become visible within 30 s
     */
    public void start() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<org.apache.kafka.common.PartitionInfo> infos = probe.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("recipient directory topic " + topic + " is not visible to consumers");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the topic " + topic, e);
            }
        }
        follower.start();
    }

    private void onRecord(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            recipients.remove(record.key());
            return;
        }
        try {
            recipients.put(record.key(), Recipient.decode(record.value()));
        } catch (IllegalArgumentException e) {
            log.error(
                    "skipping unreadable recipient record {}-{} offset {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    /**
     * Makes {@code recipient} the customer's recipient, durably: returns once the brokers acknowledged
     * the write (at once when it is already the known one).
     *
     * @throws FeedbackWriteException when the write is refused or not acknowledged within the write timeout
     * @throws InterruptedException when interrupted while waiting
     */
    public void remember(String customerId, Recipient recipient) throws InterruptedException {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(recipient, "recipient");
        if (recipient.equals(recipients.get(customerId))) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, customerId, recipient.encode()))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new FeedbackWriteException("the recipient directory refused the write: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new FeedbackWriteException(
                    "the recipient directory write was not acknowledged within " + writeTimeout, e);
        } catch (RuntimeException e) {
            throw new FeedbackWriteException("the recipient directory write failed: " + e, e);
        }
        recipients.put(customerId, recipient);
    }

    /** What is known about the customer. */
    public Lookup find(String customerId) {
        if (customerId == null || deleted.contains(normalise(customerId))) {
            return new Lookup.Deleted();
        }
        Recipient recipient = recipients.get(customerId);
        if (recipient == null) {
            return new Lookup.Unknown();
        }
        if (deleted.contains(normalise(recipient.value()))) {
            return new Lookup.Deleted();
        }
        return new Lookup.Found(recipient);
    }

    /** Applies a privacy request: {@code DELETE} forgets the customer for good; others do not concern feedback. */
    public void apply(PrivacyRequest request) {
        if (request.getType() == PrivacyRequestType.DELETE) {
            deleted.add(normalise(request.getIdentifier()));
        }
    }

    private static String normalise(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether the directory has read everything the topic held at start. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /** Waits until {@link #isCaughtUp()}; returns whether it did within {@code timeout}. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    public String topic() {
        return topic;
    }

    /** Customers with a recipient. */
    public int size() {
        return recipients.size();
    }

    @Override
    public void close() {
        follower.close();
        probe.close();
    }

    @Override
    public String toString() {
        return "RecipientDirectory[" + topic + ", " + recipients.size() + " recipient(s)]";
    }
}
