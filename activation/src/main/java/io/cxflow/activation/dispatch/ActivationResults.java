package io.cxflow.activation.dispatch;

import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import java.time.Instant;

/** Builds the {@link ActivationResult} records of a decision. */
final class ActivationResults {

    private ActivationResults() {}

    static ActivationResult of(
            Decision decision, ActivationStatus status, int attempt, Delivery delivery, String reason, Instant at) {
        return ActivationResult.newBuilder()
                .setIdempotencyKey(decision.key().value())
                .setCustomerId(decision.customerId())
                .setWorkflowId(decision.workflowId())
                .setWorkflowVersion(decision.workflowVersion())
                .setStepId(decision.stepId())
                .setChannel(decision.channel())
                .setStatus(status)
                .setAttempt(attempt)
                .setReason(reason)
                .setSegmentId(decision.change().getSegmentId())
                .setMembershipVersion(decision.change().getMembershipVersion())
                .setTrigger(decision.trigger())
                .setProviderStatus(delivery == null ? null : delivery.providerStatus())
                .setProviderResponse(delivery == null ? null : delivery.providerResponse())
                .setLatencyMillis(delivery == null ? null : delivery.latency().toMillis())
                .setAt(at)
                .build();
    }
}
