package io.cxflow.activation.feedback;

import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes feedback events to {@code cx.events.v1} with an idempotent {@code acks=all} producer, keyed
 * like the collector keys events: {@code userId}, else {@code anonymousId} (the record key analytics
 * requires to equal the event's routing id). Values go through the topic's registry serde
 * (Confluent framing), exactly as the collector writes them.
 */
public final class FeedbackPublisher {

    private final Producer<String, TouchpointEvent> producer;
    private final String topic;

    /** @param producer an idempotent {@code acks=all} producer; not closed here */
    public FeedbackPublisher(Producer<String, TouchpointEvent> producer, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** Sends the event; the future completes once the brokers acknowledged it. */
    public CompletableFuture<RecordMetadata> publish(TouchpointEvent event) {
        String key = event.getUserId() != null ? event.getUserId() : event.getAnonymousId();
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // the producer refused the record outright (closed, serialization, no metadata in time)
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Sends the events and waits until the brokers acknowledged all of them.
     *
     * @throws FeedbackWriteException when one is refused or not acknowledged within {@code timeout}
     * @throws InterruptedException when interrupted while waiting
     */
    public void publishAndWait(List<TouchpointEvent> events, Duration timeout) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] writes = events.stream().map(this::publish).toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(writes).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new FeedbackWriteException("cannot write feedback events to " + topic + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new FeedbackWriteException(
                    "feedback events to " + topic + " were not acknowledged within " + timeout, e);
        }
    }

    public String topic() {
        return topic;
    }
}
