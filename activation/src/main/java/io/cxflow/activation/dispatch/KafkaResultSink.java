package io.cxflow.activation.dispatch;

import io.cxflow.avro.ActivationResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes results with an idempotent {@code acks=all} producer, keyed by customer id, so every result
 * of a customer lands in one partition in the order it was written. Final failures are written to
 * the dead-letter topic as well.
 */
public final class KafkaResultSink implements ResultSink {

    private final Producer<String, ActivationResult> producer;
    private final String activationsTopic;
    private final String deadLetterTopic;

    public KafkaResultSink(
            Producer<String, ActivationResult> producer, String activationsTopic, String deadLetterTopic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.activationsTopic = Objects.requireNonNull(activationsTopic, "activationsTopic");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    }

    @Override
    public Future<?> publish(ActivationResult result, boolean deadLetter) {
        CompletableFuture<RecordMetadata> main = send(activationsTopic, result);
        if (!deadLetter) {
            return main;
        }
        return CompletableFuture.allOf(main, send(deadLetterTopic, result));
    }

    private CompletableFuture<RecordMetadata> send(String topic, ActivationResult result) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, result.getCustomerId(), result), (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }
}
