package io.cxflow.activation.channel;

import io.cxflow.activation.decision.Decision;

/**
 * Delivers decisions on one channel. A connector makes exactly one attempt per call and classifies
 * its outcome ({@link FailureClassifier}); retrying, recording results and committing progress are
 * the dispatcher's job. Implementations are thread-safe: the dispatcher calls them from several
 * threads at once.
 */
public interface ChannelConnector extends AutoCloseable {

    /** The channel name send steps use, e.g. {@code webhook}. */
    String channel();

    /**
     * Makes one delivery attempt. Must send the decision's idempotency key to the provider, so that a
     * repeated attempt of the same decision can be recognised there.
     *
     * @param attempt the 1-based attempt number of this decision
     * @throws InterruptedException when the service is stopping; the attempt's outcome is unknown
     */
    Delivery deliver(Decision decision, int attempt) throws InterruptedException;

    /**
     * Makes one delivery attempt with what the engine prepared for it: the content rendered from the
     * step's template and the customer's latest profile ({@link SendContext}). Connectors that need
     * neither (the webhook, whose document is the decision itself) keep this default, which ignores
     * the context. Every attempt of one decision must be given the same context, so that retries send
     * the same bytes.
     *
     * @param attempt the 1-based attempt number of this decision
     * @throws InterruptedException when the service is stopping; the attempt's outcome is unknown
     */
    default Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        return deliver(decision, attempt);
    }

    @Override
    default void close() {}
}
