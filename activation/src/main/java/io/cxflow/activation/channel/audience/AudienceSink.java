package io.cxflow.activation.channel.audience;

import io.cxflow.activation.channel.Delivery;

/**
 * Where audience batches go. One call delivers one batch once and classifies the outcome; delivering
 * a batch with the same {@link AudienceBatch#id()} again must have no further effect. Implementations
 * are thread-safe.
 */
public interface AudienceSink extends AutoCloseable {

    /**
     * Delivers {@code batch}.
     *
     * @throws InterruptedException when the service is stopping; the outcome is unknown
     */
    Delivery deliver(AudienceBatch batch) throws InterruptedException;

    /** A short description for logs, without secrets. */
    String describe();

    @Override
    default void close() {}
}
