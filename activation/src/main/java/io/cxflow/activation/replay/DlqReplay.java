package io.cxflow.activation.replay;

import io.cxflow.activation.dispatch.RetryRequests;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.ledger.LedgerEntry;
import io.cxflow.avro.ActivationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays failed decisions from {@code cx.activations.dlq.v1}: reads the dead letters that match a {@link Filter}
 * (the latest per idempotency key), tells from the ledger which can run again, and writes one replay request per
 * decision to the retry topic, where the owner of the customer's partition picks it up ({@link RetryRequests}). Any
 * instance can answer: every instance follows the whole ledger, and the request reaches the owner through Kafka.
 */
public final class DlqReplay {

    private static final Logger log = LoggerFactory.getLogger(DlqReplay.class);
    /** Within the command line's 60 s request timeout. */
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(45);

    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * Which dead letters to replay; null fields match everything.
     *
     * @param since only dead letters written at or after this time
     * @param limit the most decisions to replay (the oldest failures first)
     * @param dryRun tell what would be replayed, write nothing
     */
    public record Filter(String workflow, String channel, String customer, Instant since, int limit, boolean dryRun) {

        public Filter {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1: " + limit);
            }
        }

        boolean matches(ActivationResult r) {
            return (workflow == null || workflow.equals(r.getWorkflowId()))
                    && (channel == null || channel.equals(r.getChannel()))
                    && (customer == null || customer.equals(r.getCustomerId()));
        }
    }

    /** What happened to one dead letter's decision. */
    public enum Outcome {
        /** A replay request was written: the decision runs again with its idempotency key. */
        REPLAYED,
        /** (dry run) It would be replayed. */
        WOULD_REPLAY,
        /** The ledger says it was sent (by a replay, or by its membership change): not sent again. */
        ALREADY_DONE,
        /** Not replayed; the detail says why. */
        SKIPPED
    }

    /** One decision of the answer: its latest dead letter, and what the replay did with it. */
    public record Item(ActivationResult deadLetter, Outcome outcome, String detail) {}

    /**
     * @param requestId the id the replay requests carry (also on the ledger entries they run)
     * @param scanned dead letters read
     */
    public record Report(String requestId, boolean dryRun, long scanned, List<Item> items) {
        public long count(Outcome outcome) {
            return items.stream().filter(i -> i.outcome() == outcome).count();
        }
    }

    /** A ledger entry as the command line sees it. */
    public record Lookup(String key, LedgerEntry.State state, Instant at, String retry) {}

    private final Supplier<Consumer<String, ActivationResult>> consumers;
    private final String dlqTopic;
    private final Ledger ledger;
    private final Producer<String, String> producer;
    private final String retryTopic;
    private final Clock clock;
    private final Duration writeTimeout;

    /**
     * @param consumers new consumers without a group for {@code dlqTopic} (each closed after its scan)
     * @param producer an idempotent {@code acks=all} producer for the retry topic (not closed here)
     */
    public DlqReplay(
            Supplier<Consumer<String, ActivationResult>> consumers,
            String dlqTopic,
            Ledger ledger,
            Producer<String, String> producer,
            String retryTopic,
            Clock clock,
            Duration writeTimeout) {
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.dlqTopic = Objects.requireNonNull(dlqTopic, "dlqTopic");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.retryTopic = Objects.requireNonNull(retryTopic, "retryTopic");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
    }

    /**
     * Reads the matching dead letters, classifies them and (unless a dry run) writes the replay requests.
     *
     * @throws ReplayException when the topic cannot be read or the requests cannot be written
     */
    public Report replay(Filter filter) throws InterruptedException {
        String requestId = "r-" + UUID.randomUUID();
        Scan scan = scan(filter);
        List<Item> items = new ArrayList<>();
        List<RetryRequests.Request> requests = new ArrayList<>();
        Instant now = clock.instant();
        int replayable = 0;
        for (ActivationResult deadLetter : scan.latest) {
            Item item = classify(deadLetter, filter);
            if (item.outcome() == Outcome.REPLAYED) {
                if (replayable == filter.limit()) {
                    item = new Item(deadLetter, Outcome.SKIPPED, "over the limit of " + filter.limit());
                } else {
                    replayable++;
                    if (filter.dryRun()) {
                        item = new Item(deadLetter, Outcome.WOULD_REPLAY, item.detail());
                    } else {
                        requests.add(new RetryRequests.Request(requestId, deadLetter.getIdempotencyKey(), now));
                    }
                }
            }
            items.add(item);
        }
        write(requests);
        if (!filter.dryRun()) {
            log.info(
                    "dead-letter replay {}: {} dead letters read, {} decisions matched, {} replay requests written",
                    requestId,
                    scan.scanned,
                    items.size(),
                    requests.size());
        }
        return new Report(requestId, filter.dryRun(), scan.scanned, items);
    }

    /** The ledger entries of these idempotency keys (empty for a key the ledger does not hold). */
    public Map<String, Optional<Lookup>> lookup(List<String> keys) {
        Map<String, Optional<Lookup>> out = new LinkedHashMap<>();
        for (String key : keys) {
            Optional<Lookup> found;
            try {
                String customerId =
                        io.cxflow.activation.decision.IdempotencyKey.parse(key).customerId();
                found = ledger.history(customerId).entry(key).map(e -> new Lookup(key, e.state(), e.at(), e.retry()));
            } catch (IllegalArgumentException e) {
                found = Optional.empty();
            }
            out.put(key, found);
        }
        return out;
    }

    private Item classify(ActivationResult deadLetter, Filter filter) {
        String key = deadLetter.getIdempotencyKey();
        Optional<LedgerEntry> found = ledger.history(deadLetter.getCustomerId()).entry(key);
        if (found.isEmpty()) {
            return new Item(
                    deadLetter,
                    Outcome.SKIPPED,
                    "not on the ledger any more (older than activation.ledger.retention): its idempotency is not"
                            + " remembered");
        }
        LedgerEntry entry = found.get();
        return switch (entry.state()) {
            case DONE ->
                new Item(
                        deadLetter,
                        Outcome.ALREADY_DONE,
                        "sent " + entry.at().truncatedTo(ChronoUnit.MILLIS)
                                + (entry.retry() == null ? "" : " (replay " + entry.retry() + ")"));
            case FAILED ->
                entry.decision() == null
                        ? new Item(
                                deadLetter,
                                Outcome.SKIPPED,
                                "the ledger does not hold the decision (it failed before replays were possible)")
                        : new Item(
                                deadLetter,
                                Outcome.REPLAYED,
                                "failed " + entry.at().truncatedTo(ChronoUnit.MILLIS));
            case DEFERRED, INTENT ->
                new Item(
                        deadLetter,
                        Outcome.SKIPPED,
                        entry.retry() == null
                                ? "running again already (" + entry.state() + ")"
                                : "a replay is in progress (" + entry.retry() + ", " + entry.state() + ")");
            case SKIPPED ->
                new Item(
                        deadLetter,
                        Outcome.SKIPPED,
                        "a guardrail skipped it after it failed (see GET /v1/activations?customerId="
                                + deadLetter.getCustomerId() + ")");
        };
    }

    private void write(List<RetryRequests.Request> requests) throws InterruptedException {
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (RetryRequests.Request request : requests) {
                sent.add(producer.send(new ProducerRecord<>(retryTopic, request.customerId(), request.toJson())));
            }
            long deadline = System.nanoTime() + writeTimeout.toNanos();
            for (Future<?> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new ReplayException("replay requests could not be written to " + retryTopic, e.getCause());
        } catch (TimeoutException e) {
            throw new ReplayException(
                    "replay requests were not acknowledged by " + retryTopic + " within " + writeTimeout, e);
        } catch (RuntimeException e) {
            throw new ReplayException("replay requests could not be written to " + retryTopic, e);
        }
    }

    private record Scan(long scanned, List<ActivationResult> latest) {}

    /** The latest dead letter per key among those matching, oldest failure first. */
    private Scan scan(Filter filter) {
        Map<String, ActivationResult> latest = new LinkedHashMap<>();
        long scanned = 0;
        try (Consumer<String, ActivationResult> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic, SCAN_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, SCAN_TIMEOUT);
            if (filter.since() == null) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, Long> times = new LinkedHashMap<>();
                partitions.forEach(tp -> times.put(tp, filter.since().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, SCAN_TIMEOUT);
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp at = from.get(tp);
                    consumer.seek(tp, at == null ? end.get(tp) : at.offset());
                }
            }
            long deadline = System.nanoTime() + SCAN_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new ReplayException("reading " + dlqTopic + " took longer than " + SCAN_TIMEOUT, null);
                }
                for (ConsumerRecord<String, ActivationResult> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp) || record.value() == null) {
                        continue;
                    }
                    scanned++;
                    ActivationResult r = record.value();
                    if (filter.matches(r)
                            && (filter.since() == null || !r.getAt().isBefore(filter.since()))) {
                        latest.remove(r.getIdempotencyKey());
                        latest.put(r.getIdempotencyKey(), r);
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ReplayException("cannot read " + dlqTopic + ": " + e.getMessage(), e);
        }
        List<ActivationResult> ordered = new ArrayList<>(latest.values());
        ordered.sort(Comparator.comparing(ActivationResult::getAt));
        return new Scan(scanned, ordered);
    }

    /** The dead letters could not be read or the replay requests could not be written. */
    public static final class ReplayException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ReplayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
