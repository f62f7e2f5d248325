package io.cxflow.activation.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one delivery attempt to a channel provider.
 *
 * @param outcome whether the effect happened, may be retried, or will never succeed as asked
 * @param providerStatus the provider's status code, when it answered
 * @param latency how long the attempt took
 * @param providerResponse the start of the provider's answer (bounded), when it answered
 * @param reason why the attempt did not succeed; {@code null} when sent
 * @param retryAfter the delay the provider asked for ({@code Retry-After}), when it asked
 */
public record Delivery(
        Outcome outcome,
        Integer providerStatus,
        Duration latency,
        String providerResponse,
        String reason,
        Duration retryAfter) {

    /** What an attempt amounted to. */
    public enum Outcome {
        /** The provider accepted the request. */
        SENT,
        /** The attempt failed in a way another attempt may fix (network, timeout, 5xx, 429). */
        RETRIABLE,
        /** The provider refused the request; repeating it will not help (4xx, bad settings). */
        PERMANENT
    }

    public Delivery {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
    }

    public boolean sent() {
        return outcome == Outcome.SENT;
    }

    public boolean retriable() {
        return outcome == Outcome.RETRIABLE;
    }
}
