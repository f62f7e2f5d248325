package io.cxflow.activation.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON document a webhook receives for a decision. It is a pure function of the decision (no
 * send time, no attempt number), so every attempt of one decision carries byte-identical bodies and
 * signatures:
 *
 * <pre>{@code
 * {"idempotencyKey": "welcome:notify:c-42:1",
 *  "workflowId": "welcome", "workflowVersion": 3, "stepId": "notify", "channel": "webhook",
 *  "change": {"segmentId": "high-value", "segmentVersion": 2, "change": "ENTERED",
 *             "membershipVersion": 1, "reason": "...", "at": "2026-11-22T18:03:11Z"},
 *  "customer": {"customerId": "c-42", "identities": {"email": ["ann@example.com"]},
 *               "email": "ann@example.com", "phone": null, "consent": {"email": true}, "timezone": null}}
 * }</pre>
 */
public final class WebhookPayload {

    private WebhookPayload() {}

    public static ObjectNode document(Decision decision, ObjectMapper mapper) {
        SegmentMembershipChanged change = decision.change();
        ObjectNode root = mapper.createObjectNode();
        root.put("idempotencyKey", decision.key().value());
        root.put("workflowId", decision.workflowId());
        root.put("workflowVersion", decision.workflowVersion());
        root.put("stepId", decision.stepId());
        root.put("channel", decision.channel());

        ObjectNode c = root.putObject("change");
        c.put("segmentId", change.getSegmentId());
        c.put("segmentVersion", change.getSegmentVersion());
        c.put("change", change.getChange().name());
        c.put("membershipVersion", change.getMembershipVersion());
        c.put("reason", change.getReason());
        c.put("at", change.getAt().toString());

        ObjectNode customer = root.putObject("customer");
        customer.put("customerId", change.getCustomerId());
        ObjectNode identities = customer.putObject("identities");
        for (Map.Entry<String, List<String>> e : new TreeMap<>(change.getIdentities()).entrySet()) {
            ArrayNode values = identities.putArray(e.getKey());
            e.getValue().forEach(values::add);
        }
        customer.put("email", change.getEmail());
        customer.put("phone", change.getPhone());
        ObjectNode consent = customer.putObject("consent");
        new TreeMap<>(change.getConsent()).forEach(consent::put);
        customer.put("timezone", change.getTimezone());
        return root;
    }

    public static byte[] bytes(Decision decision, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsBytes(document(decision, mapper));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write webhook payload", e);
        }
    }
}
