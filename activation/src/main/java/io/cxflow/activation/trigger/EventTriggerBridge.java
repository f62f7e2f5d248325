package io.cxflow.activation.trigger;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.dispatch.ResultSink;
import io.cxflow.activation.kafka.UnreadableRecords;
import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.EventType;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns events on {@code cx.events.v1} into event triggers the dispatcher can run. Events are keyed by
 * routing id (userId, else anonymousId) and know nothing of cxflow's customer ids, while activation's
 * ledger, locks and ordering are per customer id; so this bridge, in its own consumer group:
 *
 * <ol>
 *   <li>keeps the events whose name (a track event's name, {@code Page Viewed}, {@code Screen Viewed})
 *       some enabled workflow is triggered by, and whose event time is within {@code maxAge};
 *   <li>resolves each one's customer through the analytics lookup API ({@link CustomerResolver}),
 *       several at a time;
 *   <li>writes the occurrence ({@link EventTrigger}) keyed by customer id to the internal trigger
 *       topic, which is partitioned like {@code cx.segment-membership.v1} and consumed by the dispatcher
 *       next to it — so an event trigger meets the customer's ledger partition, lock and guardrails
 *       exactly like a membership change;
 *   <li>commits the batch once every occurrence is acknowledged.
 * </ol>
 *
 * <p>An event analytics still has no profile for after the resolve timeout is not triggered: one
 * {@code SKIPPED} result per workflow it would have started says why (keyed by the event's routing id,
 * since no customer id is known). While analytics cannot answer at all, nothing is committed from the
 * first such event of a partition on, and the batch is read again. Delivery is at least once: an event
 * read twice writes the same occurrence twice, which plans the same idempotency keys (from the event's
 * {@code sourceId} and {@code messageId}), so the ledger lets only one through.
 */
public final class EventTriggerBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventTriggerBridge.class);

    /** The step id of the {@code SKIPPED} result of an event whose customer could not be resolved. */
    public static final String UNRESOLVED_STEP = "trigger";

    private final Consumer<String, TouchpointEvent> consumer;
    private final String eventsTopic;
    private final Producer<String, SegmentMembershipChanged> producer;
    private final String triggerTopic;
    private final Supplier<WorkflowCatalog> catalog;
    private final CustomerResolver resolver;
    private final ResultSink results;
    private final ActivationMetrics metrics;
    private final Clock clock;
    private final Duration maxAge;
    private final Semaphore lookups;
    private final Duration pollTimeout;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread loop;
    private volatile boolean running;
    private volatile boolean polling;
    private volatile Instant startedAt;

    /**
     * @param consumer a consumer in the bridge's own group, auto-commit off; the bridge owns and closes
     *     it
     * @param producer an idempotent {@code acks=all} producer of occurrences; not closed by the bridge
     * @param results where the results of unresolved events go
     * @param maxAge events older than this (event time) trigger nothing
     * @param concurrency lookups in flight at the same time
     */
    public EventTriggerBridge(
            Consumer<String, TouchpointEvent> consumer,
            String eventsTopic,
            Producer<String, SegmentMembershipChanged> producer,
            String triggerTopic,
            Supplier<WorkflowCatalog> catalog,
            CustomerResolver resolver,
            ResultSink results,
            ActivationMetrics metrics,
            Clock clock,
            Duration maxAge,
            int concurrency,
            Duration pollTimeout) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.eventsTopic = Objects.requireNonNull(eventsTopic, "eventsTopic");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.triggerTopic = Objects.requireNonNull(triggerTopic, "triggerTopic");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.results = Objects.requireNonNull(results, "results");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.lookups = new Semaphore(concurrency);
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.loop = Thread.ofPlatform()
                .name("cx-activation-event-triggers")
                .daemon(true)
                .unstarted(this::run);
    }

    /**
     * The name an event triggers workflows by: a track event's name, {@code Page Viewed} for a page,
     * {@code Screen Viewed} for a screen (as the profile counts them); {@code null} for other types.
     */
    public static String triggerName(TouchpointEvent event) {
        if (event.getType() == EventType.TRACK) {
            return event.getEvent();
        }
        if (event.getType() == EventType.PAGE) {
            return "Page Viewed";
        }
        if (event.getType() == EventType.SCREEN) {
            return "Screen Viewed";
        }
        return null;
    }

    /**
     * The bridge's value deserializer: {@code events} decodes a record only while some enabled workflow
     * of {@code catalog} is triggered by an event, and gives {@code null} (an event the bridge skips and
     * commits past) otherwise — a deployment without event-triggered workflows does not decode every
     * event of the stream. The catalog is read per record, so a workflow saved during a poll applies
     * from the records decoded after it.
     */
    public static Deserializer<TouchpointEvent> decodingWhenTriggered(
            Deserializer<TouchpointEvent> events, Supplier<WorkflowCatalog> catalog) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(catalog, "catalog");
        return new Deserializer<>() {
            @Override
            public TouchpointEvent deserialize(String topic, byte[] data) {
                return catalog.get().eventNames().isEmpty() ? null : events.deserialize(topic, data);
            }

            @Override
            public TouchpointEvent deserialize(String topic, Headers headers, byte[] data) {
                return catalog.get().eventNames().isEmpty() ? null : events.deserialize(topic, headers, data);
            }

            @Override
            public void close() {
                events.close();
            }
        };
    }

    /**
     * Subscribes and starts the loop on its own thread. A partition the group has committed nothing
     * for yet (a new deployment, a new group) is read from the first event written at or after this
     * moment: events from before the bridge existed trigger nothing.
     */
    public void start() {
        startedAt = clock.instant();
        running = true;
        loop.start();
    }

    /** Whether the loop thread is alive. */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Whether the loop is alive and has completed at least one poll. */
    public boolean isRunning() {
        return running && polling && loop.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(eventsTopic), new FirstStart());
            while (running) {
                ConsumerRecords<String, TouchpointEvent> records;
                try {
                    records = consumer.poll(pollTimeout);
                } catch (RecordDeserializationException e) {
                    UnreadableRecords.skip(consumer, e, log);
                    continue;
                }
                polling = true;
                if (!records.isEmpty()) {
                    process(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("event-trigger loop woken up while running", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("event-trigger loop on {} stopped", eventsTopic, e);
        } finally {
            running = false;
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.warn("closing the event-trigger consumer failed", e);
            }
        }
    }

    /** Places partitions without a committed offset at the bridge's start time. */
    private final class FirstStart implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> fresh = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    fresh.put(tp, startedAt.toEpochMilli());
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            // the end offsets first, then the search by time: an event written in between is either found
            // by the search or at or after the end read before it (a lazy seekToEnd could skip it)
            Map<TopicPartition, Long> ends = consumer.endOffsets(fresh.keySet());
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(fresh);
            for (TopicPartition tp : fresh.keySet()) {
                OffsetAndTimestamp at = found.get(tp);
                consumer.seek(tp, at != null ? at.offset() : ends.get(tp));
            }
            log.info(
                    "event triggers start at {} on {} partition(s) the group has not read yet",
                    startedAt,
                    fresh.size());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // batches are committed synchronously before the next poll: nothing is in flight here
        }
    }

    /** One event of the batch that some workflow is triggered by. */
    private static final class Work {
        final ConsumerRecord<String, TouchpointEvent> record;
        final String name;
        CompletableFuture<CustomerResolver.Resolution> resolution;
        final List<Future<?>> writes = new ArrayList<>();

        Work(ConsumerRecord<String, TouchpointEvent> record, String name) {
            this.record = record;
            this.name = name;
        }
    }

    private void process(ConsumerRecords<String, TouchpointEvent> records) throws InterruptedException {
        WorkflowCatalog snapshot = catalog.get();
        Set<String> names = snapshot.eventNames();
        Instant oldest = clock.instant().minus(maxAge);
        List<Work> works = new ArrayList<>();
        for (ConsumerRecord<String, TouchpointEvent> record : records) {
            TouchpointEvent event = record.value();
            String name = event == null ? null : triggerName(event);
            if (name == null || !names.contains(name)) {
                continue;
            }
            if (event.getTimestamp().isBefore(oldest)) {
                metrics.eventTrigger("too-old");
                continue;
            }
            Work work = new Work(record, name);
            try {
                work.resolution = CompletableFuture.supplyAsync(() -> resolve(event), workers);
            } catch (RejectedExecutionException e) {
                return; // stopping: nothing of this batch is committed
            }
            works.add(work);
        }
        // per partition, the offset of the first event that is not done; everything before it is
        Map<TopicPartition, Long> failedAt = new HashMap<>();
        for (Work work : works) {
            TopicPartition tp = new TopicPartition(work.record.topic(), work.record.partition());
            if (failedAt.containsKey(tp)) {
                continue; // a later event of a partition waits for the earlier one
            }
            CustomerResolver.Resolution resolution = await(work);
            switch (resolution.outcome()) {
                case FOUND -> trigger(work, resolution);
                case NOT_FOUND -> unresolved(work, snapshot, resolution.reason());
                default -> {
                    log.warn(
                            "{}-{} offset {}: analytics cannot resolve the event's customer now ({}); it is read again",
                            tp.topic(),
                            tp.partition(),
                            work.record.offset(),
                            resolution.reason());
                    metrics.eventTrigger("retried");
                    failedAt.put(tp, work.record.offset());
                }
            }
        }
        for (Work work : works) {
            TopicPartition tp = new TopicPartition(work.record.topic(), work.record.partition());
            for (Future<?> write : work.writes) {
                try {
                    write.get();
                } catch (ExecutionException e) {
                    log.error(
                            "{}-{} offset {}: the event trigger could not be written; it is read again",
                            tp.topic(),
                            tp.partition(),
                            work.record.offset(),
                            e.getCause());
                    failedAt.merge(tp, work.record.offset(), Math::min);
                }
            }
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, TouchpointEvent>> inPartition = records.records(tp);
            Long failed = failedAt.get(tp);
            long next = failed != null ? failed : inPartition.getLast().offset() + 1;
            if (failed != null) {
                consumer.seek(tp, failed);
            }
            if (next > inPartition.getFirst().offset()) {
                done.put(tp, new OffsetAndMetadata(next));
            }
        }
        commit(done);
    }

    private CustomerResolver.Resolution resolve(TouchpointEvent event) {
        try {
            lookups.acquire();
            try {
                return resolver.resolve(event);
            } finally {
                lookups.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CustomerResolver.Resolution(CustomerResolver.Outcome.UNAVAILABLE, null, "stopping");
        }
    }

    private static CustomerResolver.Resolution await(Work work) throws InterruptedException {
        try {
            return work.resolution.get();
        } catch (ExecutionException e) {
            return new CustomerResolver.Resolution(
                    CustomerResolver.Outcome.UNAVAILABLE, null, "resolution failed: " + e.getCause());
        }
    }

    private void trigger(Work work, CustomerResolver.Resolution resolution) {
        TouchpointEvent event = work.record.value();
        SegmentMembershipChanged occurrence = EventTrigger.of(
                work.name,
                event.getSourceId(),
                event.getMessageId(),
                event.getTimestamp(),
                event.getProperties(),
                resolution.profile());
        try {
            work.writes.add(producer.send(new ProducerRecord<>(triggerTopic, occurrence.getCustomerId(), occurrence)));
            metrics.eventTrigger("triggered");
        } catch (KafkaException e) {
            work.writes.add(CompletableFuture.failedFuture(e));
        }
    }

    /** One {@code SKIPPED} result per workflow the event would have started. */
    private void unresolved(Work work, WorkflowCatalog snapshot, String reason) {
        TouchpointEvent event = work.record.value();
        String routingId = work.record.key() != null
                ? work.record.key()
                : event.getUserId() != null ? event.getUserId() : event.getAnonymousId();
        long occurrence = EventTrigger.occurrence(event.getSourceId(), event.getMessageId());
        for (WorkflowDefinition workflow : snapshot.triggeredByEvent(work.name)) {
            ActivationResult result = ActivationResult.newBuilder()
                    .setIdempotencyKey(
                            new IdempotencyKey(workflow.getId(), UNRESOLVED_STEP, routingId, occurrence).value())
                    .setCustomerId(routingId)
                    .setWorkflowId(workflow.getId())
                    .setWorkflowVersion(workflow.getVersion())
                    .setStepId(UNRESOLVED_STEP)
                    .setChannel("none")
                    .setStatus(ActivationStatus.SKIPPED)
                    .setAttempt(0)
                    .setReason(reason)
                    .setSegmentId(EventTrigger.PREFIX + work.name)
                    .setMembershipVersion(occurrence)
                    .setTrigger("event " + work.name)
                    .setAt(clock.instant())
                    .build();
            try {
                work.writes.add(results.publish(result, false));
            } catch (RuntimeException e) {
                work.writes.add(CompletableFuture.failedFuture(e));
            }
        }
        metrics.eventTrigger("unresolved");
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets); // close() woke the consumer; keep the finished work
        } catch (KafkaException e) {
            log.warn("event-trigger offsets not committed ({}); the events are read again", e.getMessage());
        }
    }

    /** Stops the loop: resolutions in flight are interrupted and their events read again next time. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (loop.getState() == Thread.State.NEW) {
            workers.shutdownNow();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        running = false;
        consumer.wakeup();
        workers.shutdownNow();
        try {
            loop.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
