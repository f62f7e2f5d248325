package io.cxflow.activation.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.ledger.LedgerEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the requests to replay failed decisions ({@code cx activations retry-dlq}) — the only way a {@code
 * FAILED} decision runs again. The requests are records of the retry topic ({@code <group.id>-dlq-retries}), keyed
 * by customer id and partitioned like {@code cx.segment-membership.v1}; this instance reads exactly the partitions
 * whose membership partitions its dispatcher owns ({@link #assigned}/{@link #revoked}), so the only writer of a
 * customer's ledger stays the owner of the customer's partition. Read offsets are committed under the group {@code
 * <group.id>-dlq-retries} (partitions assigned, not subscribed).
 *
 * <p>Applying a request, under the customer's ledger lock: a {@code FAILED} entry that holds its decision becomes
 * {@code DEFERRED}, due at once, marked with the request id; the {@link DeferredScheduler} then runs it like any due
 * decision — with the same idempotency key, every guardrail judged again (a customer suppressed since is skipped, quiet
 * hours defer it), its outcome on the ledger and on {@code cx.activations.v1} (a new dead letter if it fails again).
 * Anything else is left alone: {@code DONE} is never sent again, a replay already applied (the entry carries the
 * request id — a request read again after a crash) or in progress is not doubled, an entry gone with the ledger
 * retention cannot be replayed.
 */
public final class RetryRequests implements Dispatcher.PartitionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetryRequests.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One request: replay decision {@code key}, asked for by request {@code id} at {@code at}.
     *
     * <pre>{@code {"id": "r-6f1c…", "key": "welcome:notify:c-42:1", "at": 1763834591000}}</pre>
     */
    public record Request(String id, String key, Instant at) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(at, "at");
        }

        /** The customer whose ledger holds the decision: the record key. */
        public String customerId() {
            return IdempotencyKey.parse(key).customerId();
        }

        public String toJson() {
            return MAPPER.createObjectNode()
                    .put("id", id)
                    .put("key", key)
                    .put("at", at.toEpochMilli())
                    .toString();
        }

        /**
         * @throws IllegalArgumentException when {@code json} is not a request
         */
        public static Request fromJson(String json) {
            try {
                JsonNode n = MAPPER.readTree(json);
                if (!n.path("id").isTextual() || !n.path("key").isTextual()) {
                    throw new IllegalArgumentException("a retry request needs \"id\" and \"key\"");
                }
                IdempotencyKey.parse(n.path("key").asText());
                return new Request(
                        n.path("id").asText(),
                        n.path("key").asText(),
                        Instant.ofEpochMilli(n.path("at").asLong()));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a retry request: " + e.getMessage(), e);
            }
        }
    }

    /** What applying a request did. */
    public enum Outcome {
        /** The failed decision is due again. */
        REPLAYING,
        /** The request was applied before (read again after a crash). */
        ALREADY_APPLIED,
        /** Nothing to replay: done, in progress, gone, or failed without its decision. */
        NOTHING_TO_DO
    }

    private final Consumer<String, String> consumer;
    private final String topic;
    private final Ledger ledger;
    private final Clock clock;
    private final ReentrantLock assignment = new ReentrantLock(true);
    private final Set<Integer> wanted = new HashSet<>();
    private final Thread loop;
    private volatile boolean running;

    /**
     * @param consumer a consumer with the group id under which read offsets are committed, used with {@code
     *     assign} only; this object owns and closes it
     */
    public RetryRequests(Consumer<String, String> consumer, String topic, Ledger ledger, Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = Thread.ofPlatform()
                .name("cx-activation-dlq-retries")
                .daemon(true)
                .unstarted(this::run);
    }

    public void start() {
        running = true;
        loop.start();
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Called after the ledger caught up with these partitions: their requests are read from now on. */
    @Override
    public void assigned(Collection<Integer> partitions) {
        assignment.lock();
        try {
            wanted.addAll(partitions);
        } finally {
            assignment.unlock();
        }
    }

    /** Returns once no request of these partitions is being applied, and none will be. */
    @Override
    public void revoked(Collection<Integer> partitions) {
        assignment.lock();
        try {
            wanted.removeAll(partitions);
        } finally {
            assignment.unlock();
        }
    }

    private void run() {
        Set<Integer> current = new HashSet<>();
        try {
            while (running) {
                assignment.lockInterruptibly();
                try {
                    if (!current.equals(wanted)) {
                        current = new HashSet<>(wanted);
                        consumer.assign(current.stream()
                                .map(p -> new TopicPartition(topic, p))
                                .toList());
                    }
                    if (!current.isEmpty() && pollAndApply()) {
                        continue;
                    }
                } finally {
                    assignment.unlock();
                }
                // nothing owned, or the ledger refused a write: wait outside the lock
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            if (running) {
                // the requests not committed are read again by the next owner or the next start
                log.error("reading replay requests of {} stopped", topic, e);
            }
        } finally {
            running = false;
            Thread.interrupted(); // a stop interrupts the loop; the consumer still closes cleanly
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.warn("closing the replay request consumer failed", e);
            }
        }
    }

    /**
     * Applies the requests of one poll and commits them; returns false when the ledger refused a write (the request
     * and those after it in its partition are read again).
     */
    private boolean pollAndApply() throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Set<TopicPartition> failed = new HashSet<>();
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (failed.contains(tp)) {
                continue;
            }
            try {
                handle(record);
                done.put(tp, new OffsetAndMetadata(record.offset() + 1));
            } catch (Ledger.LedgerException e) {
                log.warn(
                        "replay request {}-{} offset {} could not be applied ({}); reading it again",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
                failed.add(tp);
                consumer.seek(tp, record.offset());
            }
        }
        if (!done.isEmpty()) {
            consumer.commitSync(done);
        }
        return failed.isEmpty();
    }

    private void handle(ConsumerRecord<String, String> record) throws InterruptedException {
        Request request;
        try {
            request = Request.fromJson(record.value() == null ? "" : record.value());
        } catch (IllegalArgumentException e) {
            log.error(
                    "skipping unreadable replay request {}-{} offset {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        Outcome outcome = apply(request);
        log.info(
                "replay request {} for {} ({}-{} offset {}): {}",
                request.id(),
                request.key(),
                record.topic(),
                record.partition(),
                record.offset(),
                outcome);
    }

    /**
     * Applies one request to the ledger (see the class description); the caller must own the customer's partition.
     */
    public Outcome apply(Request request) throws InterruptedException {
        String customerId = request.customerId();
        synchronized (ledger.lock(customerId)) {
            Optional<LedgerEntry> found = ledger.history(customerId).entry(request.key());
            if (found.isEmpty()) {
                return Outcome.NOTHING_TO_DO;
            }
            LedgerEntry entry = found.get();
            if (request.id().equals(entry.retry())) {
                return Outcome.ALREADY_APPLIED;
            }
            if (entry.state() != LedgerEntry.State.FAILED || entry.decision() == null) {
                return Outcome.NOTHING_TO_DO;
            }
            Instant now = clock.instant();
            ledger.append(
                    customerId,
                    new LedgerEntry(
                            entry.key(),
                            entry.channel(),
                            LedgerEntry.State.DEFERRED,
                            now,
                            now,
                            entry.decision(),
                            request.id()));
            return Outcome.REPLAYING;
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
