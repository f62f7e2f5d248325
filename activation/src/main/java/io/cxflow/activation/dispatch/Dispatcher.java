package io.cxflow.activation.dispatch;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.DecisionPlanner;
import io.cxflow.activation.kafka.UnreadableRecords;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.profile.ProfileUnavailableException;
import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop on {@code cx.segment-membership.v1}.
 *
 * <p>The records a poll returns for a partition become one task on a virtual thread: partitions are
 * processed in parallel, the records of one partition (so of one customer) strictly in order. A record
 * counts as done once every result it produced is durable on {@code cx.activations.v1}.
 *
 * <p>A partition is paused while its task runs, and the loop keeps polling the others: a partition
 * whose task is finished has its done offsets committed and is resumed at once, so a slow partition (a
 * provider retrying) never holds the others back, and the consumer never passes {@code
 * max.poll.interval.ms}. A task stops taking new records after {@code batchBudget}; its unfinished
 * records are sought back and read again. When partitions are revoked, their tasks stop after the
 * record in hand and their finished records are committed before the partitions move.
 *
 * <p>Delivery is at least once: a record whose results were not all durable, or whose offset commit
 * failed, is delivered again, and its decisions run again with the same idempotency keys.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Poll timeout while tasks run: finished partitions are settled and resumed within about this. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private final Consumer<String, SegmentMembershipChanged> consumer;
    private final String topic;
    private final Supplier<WorkflowCatalog> catalog;
    private final DecisionExecutor executor;
    private final ActivationMetrics metrics;
    private final Duration pollTimeout;
    private final Duration batchBudget;
    private final Duration shutdownGrace;
    private final PartitionListener partitionListener;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<TopicPartition, PartitionTask> inFlight = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread loop;
    private volatile boolean running;
    private volatile boolean polling;
    private volatile String triggerTopic;

    /**
     * @param consumer a consumer in the activation group with auto-commit off; the dispatcher owns and
     *     closes it
     * @param batchBudget how long one batch may take before its unfinished records are left for the
     *     next poll
     * @param shutdownGrace how long {@link #close()} lets records in flight finish before interrupting
     * @param partitionListener told of every assignment before its records are processed, and of every
     *     revocation once the partitions' records in flight are settled
     */
    public Dispatcher(
            Consumer<String, SegmentMembershipChanged> consumer,
            String topic,
            Supplier<WorkflowCatalog> catalog,
            DecisionExecutor executor,
            ActivationMetrics metrics,
            Duration pollTimeout,
            Duration batchBudget,
            Duration shutdownGrace,
            PartitionListener partitionListener) {
        this.partitionListener = Objects.requireNonNull(partitionListener, "partitionListener");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.batchBudget = Objects.requireNonNull(batchBudget, "batchBudget");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.loop =
                Thread.ofPlatform().name("cx-activation-dispatch").daemon(true).unstarted(this::run);
    }

    /**
     * Also consumes {@code topic}, the event occurrences of the event-trigger bridge ({@link
     * io.cxflow.activation.trigger.EventTriggerBridge}): keyed by customer id and partitioned like the
     * membership topic (the consumer must use a co-partitioning assignor), planned like membership
     * changes. Call before {@link #start()}.
     */
    public void alsoConsume(String topic) {
        this.triggerTopic = Objects.requireNonNull(topic, "topic");
    }

    /** Subscribes and starts the loop on its own thread. */
    public void start() {
        running = true;
        loop.start();
    }

    /** Whether the loop thread is alive (it may not have polled yet). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Whether the loop is alive and has completed at least one poll. */
    public boolean isRunning() {
        return running && polling && loop.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(triggerTopic == null ? List.of(topic) : List.of(topic, triggerTopic), new Rebalance());
            while (running) {
                ConsumerRecords<String, SegmentMembershipChanged> records;
                try {
                    // while partitions are busy, come back soon to hand over their finished work
                    records = consumer.poll(inFlight.isEmpty() ? pollTimeout : BUSY_POLL);
                } catch (RecordDeserializationException e) {
                    skipUnreadable(e);
                    continue;
                }
                polling = true;
                if (!records.isEmpty()) {
                    start(records);
                }
                settle(false);
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("dispatch loop woken up while running", e);
            }
        } catch (RuntimeException e) {
            log.error("dispatch loop on {} stopped", topic, e);
        } finally {
            running = false;
            try {
                // the tasks stop after the record in hand (close() interrupts them after the grace)
                settle(true);
            } catch (RuntimeException e) {
                log.warn("settling the records in flight failed; they are delivered again", e);
            }
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.warn("closing the membership consumer failed", e);
            }
        }
    }

    private void skipUnreadable(RecordDeserializationException e) {
        OffsetAndMetadata next = UnreadableRecords.skip(consumer, e, log);
        metrics.skippedRecord("unreadable");
        commit(Map.of(e.topicPartition(), next));
    }

    /**
     * Starts a task per partition of {@code records} and pauses those partitions until their task is settled. A
     * partition is never in two tasks: it is paused while its task runs.
     */
    private void start(ConsumerRecords<String, SegmentMembershipChanged> records) {
        WorkflowCatalog snapshot = catalog.get();
        long deadline = System.nanoTime() + batchBudget.toNanos();
        List<TopicPartition> started = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            PartitionTask task = new PartitionTask(tp, records.records(tp));
            try {
                task.future = CompletableFuture.supplyAsync(() -> processPartition(task, snapshot, deadline), workers);
            } catch (RejectedExecutionException e) {
                // stopping: leave this partition's records for the next run
                consumer.seek(tp, task.firstOffset());
                continue;
            }
            inFlight.put(tp, task);
            started.add(tp);
        }
        consumer.pause(started);
    }

    /**
     * Commits the progress of finished tasks ({@code all}: of every task, waiting for them), seeks their unfinished
     * records back and resumes their partitions.
     */
    private void settle(boolean all) {
        if (inFlight.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        List<TopicPartition> settled = new ArrayList<>();
        int completed = 0;
        for (Iterator<PartitionTask> it = inFlight.values().iterator(); it.hasNext(); ) {
            PartitionTask task = it.next();
            if (!all && !task.future.isDone()) {
                continue;
            }
            it.remove();
            Progress progress = task.await();
            completed += progress.completed();
            if (progress.completed() > 0) {
                done.put(task.tp, new OffsetAndMetadata(progress.nextOffset()));
            }
            if (!progress.finished()) {
                consumer.seek(task.tp, progress.nextOffset());
            }
            settled.add(task.tp);
        }
        if (settled.isEmpty()) {
            return;
        }
        consumer.resume(settled);
        commit(done);
        metrics.changes(completed);
    }

    private Progress processPartition(PartitionTask task, WorkflowCatalog snapshot, long deadline) {
        TopicPartition tp = task.tp;
        long next = task.firstOffset();
        int completed = 0;
        for (ConsumerRecord<String, SegmentMembershipChanged> record : task.records) {
            if (!running || task.stop || System.nanoTime() - deadline > 0) {
                return new Progress(next, completed, false);
            }
            try {
                processRecord(record, snapshot);
            } catch (InterruptedException e) {
                log.info("stopping: {}-{} offset {} is left for the next run", tp.topic(), tp.partition(), next);
                return new Progress(next, completed, false);
            } catch (ResultWriteException | Ledger.LedgerException e) {
                log.error(
                        "results or ledger entries of {}-{} offset {} could not be written; the record is processed again",
                        tp.topic(),
                        tp.partition(),
                        record.offset(),
                        e.getCause() != null ? e.getCause() : e);
                return new Progress(next, completed, false);
            } catch (ProfileUnavailableException e) {
                log.warn(
                        "{}-{} offset {} waits for the latest profile ({}); the record is processed again",
                        tp.topic(),
                        tp.partition(),
                        record.offset(),
                        e.getMessage());
                return new Progress(next, completed, false);
            } catch (RuntimeException e) {
                log.error(
                        "skipping {}-{} offset {}: it could not be processed",
                        tp.topic(),
                        tp.partition(),
                        record.offset(),
                        e);
                metrics.skippedRecord("failed");
            }
            next = record.offset() + 1;
            completed++;
        }
        return new Progress(next, completed, true);
    }

    private void processRecord(ConsumerRecord<String, SegmentMembershipChanged> record, WorkflowCatalog snapshot)
            throws InterruptedException {
        SegmentMembershipChanged change = record.value();
        if (change == null) {
            return;
        }
        // an event occurrence is not a membership change: it cancels or refreshes no deferred step
        List<Future<?>> writes =
                new ArrayList<>(record.topic().equals(triggerTopic) ? List.of() : executor.onChange(change));
        List<Decision> decisions = DecisionPlanner.plan(change, snapshot);
        if (decisions.isEmpty() && writes.isEmpty()) {
            return;
        }
        log.debug(
                "{}-{} offset {}: {} decision(s) for segment {} {}",
                record.topic(),
                record.partition(),
                record.offset(),
                decisions.size(),
                change.getSegmentId(),
                change.getChange());
        writes.addAll(executor.execute(decisions));
        // effects have happened: wait for their results even when stopping (the producer's delivery
        // timeout bounds this), so a stop right after a send does not make the record run again
        boolean interrupted = false;
        Throwable failure = null;
        for (Future<?> write : writes) {
            while (true) {
                try {
                    write.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new ResultWriteException(failure);
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (int tries = 0; tries < 2; tries++) {
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                // close() woke the consumer; commit the finished work anyway (a wakeup fires only once)
            } catch (CommitFailedException | RebalanceInProgressException e) {
                log.warn("offset commit failed ({}); the uncommitted records are delivered again", e.getMessage());
                return;
            } catch (KafkaException e) {
                log.error("offset commit failed; the uncommitted records are delivered again", e);
                return;
            }
        }
    }

    /**
     * Stops the loop: no new record is started; records in flight may finish within the shutdown
     * grace, after which their deliveries are interrupted (they run again on the next start). Finished
     * records are committed. Idempotent.
     */
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
        try {
            loop.join(shutdownGrace.toMillis() + 1);
            if (loop.isAlive()) {
                log.info("interrupting deliveries still in flight after {} ms", shutdownGrace.toMillis());
                workers.shutdownNow();
                loop.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdownNow();
        }
    }

    /** Runs on the loop thread, inside poll: settles the tasks of partitions that move away. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            for (PartitionTask task : settle(partitions)) {
                Progress progress = task.await();
                if (progress.completed() > 0) {
                    done.put(task.tp, new OffsetAndMetadata(progress.nextOffset()));
                }
            }
            commit(done);
            partitionListener.revoked(numbers(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member may own them already: nothing can be committed
            for (PartitionTask task : settle(partitions)) {
                task.await();
            }
            partitionListener.revoked(numbers(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitionListener.assigned(numbers(partitions));
        }

        private List<PartitionTask> settle(Collection<TopicPartition> partitions) {
            Set<TopicPartition> moving = new HashSet<>(partitions);
            List<PartitionTask> tasks = new ArrayList<>();
            for (TopicPartition tp : moving) {
                PartitionTask task = inFlight.remove(tp);
                if (task != null) {
                    task.stop = true;
                    tasks.add(task);
                }
            }
            return tasks;
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }

    /** Hears which membership partitions this instance owns. Called on the dispatcher's thread. */
    public interface PartitionListener {
        /** The partitions were assigned; their records are processed once this returns. */
        void assigned(Collection<Integer> partitions);

        /** The partitions were revoked or lost. */
        void revoked(Collection<Integer> partitions);

        /** Tells {@code listeners} in order of assignments, and in reverse order of revocations. */
        static PartitionListener all(PartitionListener... listeners) {
            List<PartitionListener> list = List.of(listeners);
            return new PartitionListener() {
                @Override
                public void assigned(Collection<Integer> partitions) {
                    list.forEach(l -> l.assigned(partitions));
                }

                @Override
                public void revoked(Collection<Integer> partitions) {
                    list.reversed().forEach(l -> l.revoked(partitions));
                }
            };
        }
    }

    /** The records of one partition in the current batch, and the virtual thread processing them. */
    private static final class PartitionTask {
        final TopicPartition tp;
        final List<ConsumerRecord<String, SegmentMembershipChanged>> records;
        volatile boolean stop;
        CompletableFuture<Progress> future;

        PartitionTask(TopicPartition tp, List<ConsumerRecord<String, SegmentMembershipChanged>> records) {
            this.tp = tp;
            this.records = records;
        }

        long firstOffset() {
            return records.getFirst().offset();
        }

        Progress await() {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Progress(firstOffset(), 0, false);
            } catch (ExecutionException e) {
                log.error("processing {} failed unexpectedly; its records are read again", tp, e.getCause());
                return new Progress(firstOffset(), 0, false);
            }
        }
    }

    /** How far one partition of a batch got. */
    private record Progress(long nextOffset, int completed, boolean finished) {}
}
