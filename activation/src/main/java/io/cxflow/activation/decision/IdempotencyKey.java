package io.cxflow.activation.decision;

import java.util.Objects;

/**
 * The identity of one activation decision: {@code <workflowId>:<stepId>:<customerId>:<membershipVersion>}.
 * The same membership change seen again (a redelivery, a replay) yields the same key, so a provider
 * (and, later, the idempotency store) can recognise a repeated request; a new change of the same
 * customer in the same segment has a new membership version and therefore a new key. Workflow and
 * step ids never contain {@code ':'} (their pattern forbids it), so the key parses back even when
 * the customer id does.
 */
public record IdempotencyKey(String workflowId, String stepId, String customerId, long membershipVersion) {

    public IdempotencyKey {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(customerId, "customerId");
        if (workflowId.indexOf(':') >= 0 || stepId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("workflow and step ids must not contain ':'");
        }
    }

    /** The header value: {@code <workflowId>:<stepId>:<customerId>:<membershipVersion>}. */
    public String value() {
        return workflowId + ':' + stepId + ':' + customerId + ':' + membershipVersion;
    }

    /** Parses {@link #value()} back; the customer id is everything between the second and last colon. */
    public static IdempotencyKey parse(String value) {
        Objects.requireNonNull(value, "value");
        int first = value.indexOf(':');
        int second = first < 0 ? -1 : value.indexOf(':', first + 1);
        int last = value.lastIndexOf(':');
        if (first < 0 || second < 0 || last <= second) {
            throw new IllegalArgumentException("not an idempotency key: " + value);
        }
        try {
            return new IdempotencyKey(
                    value.substring(0, first),
                    value.substring(first + 1, second),
                    value.substring(second + 1, last),
                    Long.parseLong(value.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an idempotency key: " + value, e);
        }
    }

    @Override
    public String toString() {
        return value();
    }
}
