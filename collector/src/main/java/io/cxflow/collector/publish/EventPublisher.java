package io.cxflow.collector.publish;

import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.CollectorMetrics;
import io.cxflow.collector.message.EventMapper;
import io.cxflow.schemas.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted events to {@code cx.events.v1} and waits for the broker's acknowledgement (the producer
 * is idempotent with {@code acks=all}), and refused messages to {@code cx.events.rejected.v1}.
 *
 * <p>Memory is bounded twice: the serialized bytes handed to the producer and not yet acknowledged may not
 * exceed {@code maxInFlightBytes} (a request waits for room within its own deadline, then fails), and the
 * producer's own {@code buffer.memory}. Records are sent in request order, so events of one key keep their
 * order on the partition.
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final Topic<String, TouchpointEvent> events;
    private final Topic<String, RejectedEvent> rejected;
    private final Serializer<TouchpointEvent> eventSerializer;
    private final Serializer<RejectedEvent> rejectedSerializer;
    private final Semaphore inFlight;
    private final int maxInFlightBytes;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final MeterRegistry meters;
    private final Timer eventLatency;
    private final Timer rejectedLatency;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param producer a producer with String keys and byte[] values, idempotent with {@code acks=all}; closed
     *     by {@link #close()}
     * @param maxInFlightBytes the most serialized bytes waiting for acknowledgement at any time
     */
    public EventPublisher(
            Producer<String, byte[]> producer,
            Topic<String, TouchpointEvent> events,
            Topic<String, RejectedEvent> rejected,
            int maxInFlightBytes,
            MeterRegistry meters) {
        if (maxInFlightBytes < 1) {
            throw new IllegalArgumentException("maxInFlightBytes must be positive");
        }
        this.producer = producer;
        this.events = events;
        this.rejected = rejected;
        this.eventSerializer = events.valueSerde().serializer();
        this.rejectedSerializer = rejected.valueSerde().serializer();
        this.maxInFlightBytes = maxInFlightBytes;
        this.inFlight = new Semaphore(maxInFlightBytes, true);
        this.meters = meters;
        this.eventLatency = publishTimer(meters, events.name());
        this.rejectedLatency = publishTimer(meters, rejected.name());
        meters.gauge(CollectorMetrics.IN_FLIGHT_BYTES, inFlightBytes);
    }

    private static Timer publishTimer(MeterRegistry meters, String topic) {
        return Timer.builder(CollectorMetrics.PUBLISH_LATENCY)
                .description("time from producer send to broker acknowledgement")
                .tag(CollectorMetrics.TAG_TOPIC, topic)
                .publishPercentileHistogram()
                .register(meters);
    }

    /**
     * Publishes the events, keyed by userId else anonymousId, and returns once the broker acknowledged every
     * one of them.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which all must be acknowledged
     * @throws PublishUnavailableException when that did not happen in time; some of the events may still
     *     reach the topic later
     */
    public void publish(List<TouchpointEvent> batch, long deadlineNanos) throws PublishUnavailableException {
        if (batch.isEmpty()) {
            return;
        }
        if (closed.get()) {
            throw new PublishUnavailableException(
                    PublishUnavailableException.CLOSED, "the collector is stopping", null);
        }
        byte[][] values = new byte[batch.size()][];
        long total = 0;
        try {
            for (int i = 0; i < values.length; i++) {
                values[i] = eventSerializer.serialize(events.name(), batch.get(i));
                total += values[i].length;
            }
        } catch (RuntimeException e) {
            countError(events.name(), e);
            throw new PublishUnavailableException(
                    PublishUnavailableException.SERIALIZATION, "could not serialize events: " + e.getMessage(), e);
        }
        int permits = (int) Math.min(total, maxInFlightBytes);
        acquire(permits, total, deadlineNanos);

        Release release = new Release(permits, total, values.length);
        List<Future<RecordMetadata>> futures = new ArrayList<>(values.length);
        int sent = 0;
        try {
            for (; sent < values.length; sent++) {
                TouchpointEvent e = batch.get(sent);
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(events.name(), EventMapper.routingKey(e), values[sent]);
                futures.add(producer.send(record, callback(events.name(), eventLatency, release)));
            }
        } catch (RuntimeException e) {
            release.abandon(values.length - sent);
            countError(events.name(), e);
            throw new PublishUnavailableException(
                    PublishUnavailableException.BROKER_ERROR, "the producer refused the record: " + e, e);
        }
        for (Future<RecordMetadata> f : futures) {
            long remaining = deadlineNanos - System.nanoTime();
            try {
                f.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new PublishUnavailableException(
                        PublishUnavailableException.TIMEOUT, "the broker did not acknowledge in time", e);
            } catch (ExecutionException e) {
                throw new PublishUnavailableException(
                        PublishUnavailableException.BROKER_ERROR, "the broker refused the record: " + e.getCause(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishUnavailableException(
                        PublishUnavailableException.TIMEOUT, "interrupted waiting for the broker", e);
            }
        }
    }

    /**
     * Writes a refused message to {@code cx.events.rejected.v1}, keyed by source id, without waiting: the
     * client already has the reason in its response. A failure is counted and logged (without the payload).
     */
    public void reject(RejectedEvent event) {
        if (closed.get()) {
            return;
        }
        String key = event.getSourceId();
        try {
            byte[] value = rejectedSerializer.serialize(rejected.name(), event);
            if (!inFlight.tryAcquire(Math.min(value.length, maxInFlightBytes))) {
                countError(rejected.name(), new IllegalStateException("in-flight limit reached"));
                LOG.warn(
                        "Dropped a rejected-message record of source {} ({}): the in-flight limit is reached",
                        key,
                        event.getCode());
                return;
            }
            inFlightBytes.addAndGet(value.length);
            Release release = new Release(Math.min(value.length, maxInFlightBytes), value.length, 1);
            producer.send(
                    new ProducerRecord<>(rejected.name(), key, value),
                    callback(rejected.name(), rejectedLatency, release));
        } catch (RuntimeException e) {
            countError(rejected.name(), e);
            LOG.warn(
                    "Could not write a rejected-message record of source {} ({}): {}",
                    key,
                    event.getCode(),
                    e.toString());
        }
    }

    /** Bytes handed to the producer and not yet acknowledged or failed. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    private void acquire(int permits, long bytes, long deadlineNanos) throws PublishUnavailableException {
        boolean acquired;
        try {
            acquired =
                    inFlight.tryAcquire(permits, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new PublishUnavailableException(
                    PublishUnavailableException.IN_FLIGHT_LIMIT,
                    "too many bytes are waiting for the broker; " + bytes + " more do not fit",
                    null);
        }
        inFlightBytes.addAndGet(bytes);
    }

    private Callback callback(String topic, Timer latency, Release release) {
        long started = System.nanoTime();
        return (metadata, error) -> {
            latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (error != null) {
                countError(topic, error);
            }
            release.one();
        };
    }

    private void countError(String topic, Throwable error) {
        Counter.builder(CollectorMetrics.PUBLISH_ERRORS)
                .tag(CollectorMetrics.TAG_TOPIC, topic)
                .tag(CollectorMetrics.TAG_ERROR, error.getClass().getSimpleName())
                .register(meters)
                .increment();
    }

    /** Gives the request's permits back once its last record completed. */
    private final class Release {
        private final int permits;
        private final long bytes;
        private final AtomicInteger pending;

        Release(int permits, long bytes, int records) {
            this.permits = permits;
            this.bytes = bytes;
            this.pending = new AtomicInteger(records);
        }

        void one() {
            if (pending.decrementAndGet() == 0) {
                inFlightBytes.addAndGet(-bytes);
                inFlight.release(permits);
            }
        }

        void abandon(int unsent) {
            if (pending.addAndGet(-unsent) == 0) {
                inFlightBytes.addAndGet(-bytes);
                inFlight.release(permits);
            }
        }
    }

    /** Flushes what the producer holds (bounded by its delivery timeout) and closes it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
