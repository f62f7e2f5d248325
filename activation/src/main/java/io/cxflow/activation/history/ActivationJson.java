package io.cxflow.activation.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.ActivationResult;

/** The JSON shape of an activation result in {@code GET /v1/activations}. */
public final class ActivationJson {

    private ActivationJson() {}

    public static ObjectNode render(ActivationResult r) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("idempotencyKey", r.getIdempotencyKey());
        out.put("customerId", r.getCustomerId());
        out.put("workflowId", r.getWorkflowId());
        out.put("workflowVersion", r.getWorkflowVersion());
        out.put("stepId", r.getStepId());
        out.put("channel", r.getChannel());
        out.put("status", r.getStatus().name());
        out.put("attempt", r.getAttempt());
        putIfPresent(out, "reason", r.getReason());
        putIfPresent(out, "segmentId", r.getSegmentId());
        if (r.getMembershipVersion() != null) {
            out.put("membershipVersion", r.getMembershipVersion());
        }
        putIfPresent(out, "trigger", r.getTrigger());
        if (r.getProviderStatus() != null) {
            out.put("providerStatus", r.getProviderStatus());
        }
        if (r.getLatencyMillis() != null) {
            out.put("latencyMillis", r.getLatencyMillis());
        }
        out.put("at", r.getAt().toString());
        return out;
    }

    private static void putIfPresent(ObjectNode out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }
}
