package io.cxflow.activation.dispatch;

import io.cxflow.avro.ActivationResult;
import java.util.concurrent.Future;

/**
 * Where activation results go. The Kafka implementation ({@link KafkaResultSink}) writes every result
 * to {@code cx.activations.v1} and final failures also to {@code cx.activations.dlq.v1}.
 */
public interface ResultSink {

    /**
     * Publishes a result; the returned future completes when it is durable.
     *
     * @param deadLetter whether the result also goes to the dead-letter topic
     */
    Future<?> publish(ActivationResult result, boolean deadLetter);
}
