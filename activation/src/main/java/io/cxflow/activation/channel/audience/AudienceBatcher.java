package io.cxflow.activation.channel.audience;

import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.FailureClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers members into batches per audience and operation, and hands a batch to the {@link
 * AudienceSink} once it holds {@code maxSize} members or its first member has waited {@code maxDelay},
 * whichever comes first. Every member's future completes with the outcome of the batch it went out in
 * (its latency counted from its own submission). Thread-safe.
 */
public final class AudienceBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AudienceBatcher.class);

    private record Key(String audience, AudienceBatch.Operation operation) {}

    private record Waiter(long submittedNanos, CompletableFuture<Delivery> future) {}

    /** A batch being gathered: members by idempotency key, and who waits for each. */
    private static final class Pending {
        final Key key;
        final Map<String, AudienceMember> members = new LinkedHashMap<>();
        final List<Waiter> waiters = new ArrayList<>();
        ScheduledFuture<?> timer;

        Pending(Key key) {
            this.key = key;
        }
    }

    private final int maxSize;
    private final Duration maxDelay;
    private final AudienceSink sink;
    private final ScheduledExecutorService timer;
    private final ExecutorService flushers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Key, Pending> pending = new HashMap<>();
    private boolean closed;

    /**
     * @param maxSize members per batch (>= 1)
     * @param maxDelay the longest a member waits for its batch to fill (> 0)
     */
    public AudienceBatcher(int maxSize, Duration maxDelay, AudienceSink sink) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1: " + maxSize);
        }
        if (maxDelay.isZero() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must be > 0: " + maxDelay);
        }
        this.maxSize = maxSize;
        this.maxDelay = maxDelay;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("cx-audience-batcher").factory());
    }

    /** Adds {@code member} to the next batch of {@code audience} and {@code operation}. */
    public CompletableFuture<Delivery> submit(
            String audience, AudienceBatch.Operation operation, AudienceMember member) {
        Key key = new Key(audience, operation);
        CompletableFuture<Delivery> future = new CompletableFuture<>();
        Pending full = null;
        synchronized (this) {
            if (closed) {
                future.complete(new Delivery(
                        Delivery.Outcome.RETRIABLE,
                        null,
                        Duration.ZERO,
                        null,
                        "the audience batcher is stopping",
                        null));
                return future;
            }
            Pending batch = pending.get(key);
            if (batch == null) {
                Pending created = new Pending(key);
                created.timer = timer.schedule(() -> flushIfCurrent(created), maxDelay.toNanos(), TimeUnit.NANOSECONDS);
                pending.put(key, created);
                batch = created;
            }
            batch.members.putIfAbsent(member.idempotencyKey(), member);
            batch.waiters.add(new Waiter(System.nanoTime(), future));
            if (batch.members.size() >= maxSize) {
                pending.remove(key);
                batch.timer.cancel(false);
                full = batch;
            }
        }
        if (full != null) {
            Pending ready = full;
            flushers.execute(() -> send(ready));
        }
        return future;
    }

    private void flushIfCurrent(Pending batch) {
        synchronized (this) {
            if (pending.get(batch.key) != batch) {
                return;
            }
            pending.remove(batch.key);
        }
        flushers.execute(() -> send(batch));
    }

    private void send(Pending batch) {
        AudienceBatch out =
                new AudienceBatch(batch.key.audience(), batch.key.operation(), List.copyOf(batch.members.values()));
        Delivery delivery;
        try {
            delivery = sink.deliver(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery = new Delivery(
                    Delivery.Outcome.RETRIABLE,
                    null,
                    Duration.ZERO,
                    null,
                    "interrupted while delivering the batch",
                    null);
        } catch (RuntimeException e) {
            log.warn("audience batch {} failed unexpectedly", out, e);
            delivery = new Delivery(
                    Delivery.Outcome.RETRIABLE, null, Duration.ZERO, null, FailureClassifier.describe(e), null);
        }
        long now = System.nanoTime();
        String batchNote = "batch " + out.id() + " (" + out.members().size() + " members)";
        for (Waiter w : batch.waiters) {
            w.future()
                    .complete(new Delivery(
                            delivery.outcome(),
                            delivery.providerStatus(),
                            Duration.ofNanos(now - w.submittedNanos()),
                            delivery.providerResponse() == null
                                    ? batchNote
                                    : batchNote + ": " + delivery.providerResponse(),
                            delivery.reason(),
                            delivery.retryAfter()));
        }
    }

    /** Sends every batch being gathered now, waits (bounded) for sends in flight, and stops. */
    @Override
    public void close() {
        List<Pending> rest;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            rest = new ArrayList<>(pending.values());
            pending.clear();
        }
        timer.shutdownNow();
        for (Pending batch : rest) {
            flushers.execute(() -> send(batch));
        }
        flushers.shutdown();
        try {
            if (!flushers.awaitTermination(30, TimeUnit.SECONDS)) {
                flushers.shutdownNow();
            }
        } catch (InterruptedException e) {
            flushers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
