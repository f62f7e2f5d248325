package io.cxflow.activation.limit;

import io.cxflow.activation.kafka.TopicFollower;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How many effects each workflow had across all customers, for {@code total} limits: counted from the
 * {@code SENT} results on {@code cx.activations.v1} (every instance's), which this follows from {@code
 * lookback} ago at start and for the life of the service, in one-minute buckets per workflow. The
 * durable count is the results topic itself: a restart counts again what it holds.
 *
 * <p>A decision that passes the limit <em>reserves</em> its place at once ({@link #tryReserve}, atomic
 * per workflow) until its own result is read back — {@code SENT} turns the reservation into a counted
 * effect, any other final result releases it; a reservation whose result never comes (the service
 * stopped in between) expires after {@code reservationTtl}. So decisions of one instance never exceed
 * the limit together; decisions on other instances are seen once their results arrive (see
 * activation/DESIGN.md, "Workflow limits", for the guarantee). Windows are counted in whole minutes:
 * the oldest minute of a window counts completely, which can only stop a step early, never let one
 * more through. Thread-safe.
 */
public final class WorkflowUsage implements AutoCloseable {

    private static final long BUCKET_MILLIS = Duration.ofMinutes(1).toMillis();

    private volatile TopicFollower<ActivationResult> follower;
    private final Clock clock;
    private final Duration lookback;
    private final Duration reservationTtl;
    private final Map<String, Usage> workflows = new ConcurrentHashMap<>();

    /** The effects and reservations of one workflow; guarded by itself. */
    private static final class Usage {
        final NavigableMap<Long, Long> perMinute = new TreeMap<>();
        final Map<String, Instant> reserved = new HashMap<>();
    }

    /**
     * @param lookback how far back results are counted: the longest window of a {@code total} limit
     * @param reservationTtl how long a reservation waits for its decision's result
     */
    public WorkflowUsage(Clock clock, Duration lookback, Duration reservationTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lookback = Objects.requireNonNull(lookback, "lookback");
        this.reservationTtl = Objects.requireNonNull(reservationTtl, "reservationTtl");
    }

    /**
     * Counts the results of {@code topic} ({@code cx.activations.v1}) from {@code lookback} ago and
     * follows it; {@code onCaughtUp} runs once the results of the lookback are counted.
     *
     * @param consumer a consumer without a group id; owned and closed by this
     */
    public void follow(
            Consumer<String, ActivationResult> consumer, String topic, Duration pollTimeout, Runnable onCaughtUp) {
        TopicFollower<ActivationResult> started = new TopicFollower<>(
                consumer,
                topic,
                clock.instant().minus(lookback),
                pollTimeout,
                this::apply,
                "cx-activation-workflow-usage");
        follower = started;
        started.start(onCaughtUp);
    }

    /** Whether the results of the lookback are counted. */
    public boolean isCaughtUp() {
        return follower != null && follower.isCaughtUp();
    }

    /** Whether results are being followed. */
    public boolean isRunning() {
        return follower != null && follower.isRunning();
    }

    private void apply(ConsumerRecord<String, ActivationResult> record) {
        ActivationResult result = record.value();
        if (result != null) {
            record(result);
        }
    }

    /** Counts one result: a {@code SENT} is an effect; any final result releases its reservation. */
    public void record(ActivationResult result) {
        ActivationStatus status = result.getStatus();
        if (status == ActivationStatus.RETRYING || status == ActivationStatus.DEFERRED) {
            return; // not final: a reservation stays
        }
        Usage usage = workflows.computeIfAbsent(result.getWorkflowId(), id -> new Usage());
        synchronized (usage) {
            usage.reserved.remove(result.getIdempotencyKey());
            if (status == ActivationStatus.SENT) {
                usage.perMinute.merge(result.getAt().toEpochMilli() / BUCKET_MILLIS, 1L, Long::sum);
                usage.perMinute.headMap(bucket(clock.instant().minus(lookback))).clear();
            }
        }
    }

    /**
     * Reserves a place for decision {@code key} of {@code workflowId} unless the workflow already had
     * {@code max} effects (counted and reserved) within {@code window} before {@code now}. Reserving a
     * key that holds a place already succeeds without taking another.
     *
     * @return whether the decision may go ahead
     */
    public boolean tryReserve(String workflowId, String key, long max, Duration window, Instant now) {
        Usage usage = workflows.computeIfAbsent(workflowId, id -> new Usage());
        synchronized (usage) {
            expire(usage, now);
            if (usage.reserved.containsKey(key)) {
                return true;
            }
            if (count(usage, window, now) >= max) {
                return false;
            }
            usage.reserved.put(key, now);
            return true;
        }
    }

    /** The effects of {@code workflowId} within {@code window} before {@code now}, reservations included. */
    public long used(String workflowId, Duration window, Instant now) {
        Usage usage = workflows.get(workflowId);
        if (usage == null) {
            return 0;
        }
        synchronized (usage) {
            expire(usage, now);
            return count(usage, window, now);
        }
    }

    private static long count(Usage usage, Duration window, Instant now) {
        long effects = 0;
        for (long n : usage.perMinute.tailMap(bucket(now.minus(window))).values()) {
            effects += n;
        }
        return effects + usage.reserved.size();
    }

    private void expire(Usage usage, Instant now) {
        Instant oldest = now.minus(reservationTtl);
        for (Iterator<Instant> it = usage.reserved.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(oldest)) {
                it.remove();
            }
        }
    }

    private static long bucket(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), BUCKET_MILLIS);
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
