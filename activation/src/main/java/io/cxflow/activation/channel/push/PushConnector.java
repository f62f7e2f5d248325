package io.cxflow.activation.channel.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.channel.http.JsonProviderConnector;
import io.cxflow.activation.decision.Decision;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code push} channel: a provider-agnostic HTTP adapter. One {@code POST} per decision of
 *
 * <pre>{@code
 * {"idempotencyKey": "welcome:push:cus_42:3", "channel": "push",
 *  "toType": "userId", "to": ["u-1"],
 *  "title": "Welcome back", "body": "Your cart is waiting", "data": {"deepLink": "shop://cart"},
 *  "meta": {"workflowId": "welcome", "workflowVersion": 2, "stepId": "push", "customerId": "cus_42",
 *           "segmentId": "high-value", "change": "ENTERED", "membershipVersion": 3}}
 * }</pre>
 *
 * with {@code Idempotency-Key}. {@code to} holds every value (sorted) of the configured identity type
 * ({@code activation.push.to-identity}, default {@code userId}); {@code title} is the rendered subject
 * (else the step's {@code title}/{@code subject}), omitted when there is none; {@code body} the
 * rendered text (else {@code text}/{@code body}). No address or no body is a permanent failure.
 */
public final class PushConnector extends JsonProviderConnector {

    public static final String CHANNEL = "push";

    private final PushConfig config;

    public PushConnector(PushConfig config, ObjectMapper mapper, Clock clock) {
        super(CHANNEL, config.provider().endpoint(), config.provider().signer(), mapper, clock);
        this.config = config;
    }

    @Override
    protected ObjectNode document(Decision decision, SendContext context) throws Undeliverable {
        TreeSet<String> to = new TreeSet<>();
        for (String value : decision.change().getIdentities().getOrDefault(config.toIdentity(), List.of())) {
            if (value != null && !value.isBlank()) {
                to.add(value.trim());
            }
        }
        if (to.isEmpty()) {
            throw new Undeliverable("the customer has no '" + config.toIdentity() + "' identity to push to");
        }
        RenderedContent content = RenderedContent.resolve(context, decision.settings());
        if (!content.hasText()) {
            throw new Undeliverable("no push body: no rendered template and no 'text' setting on the step");
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("idempotencyKey", decision.key().value());
        root.put("channel", CHANNEL);
        root.put("toType", config.toIdentity());
        ArrayNode toNode = root.putArray("to");
        to.forEach(toNode::add);
        if (content.hasSubject()) {
            root.put("title", content.subject());
        }
        root.put("body", content.text());
        putData(root, content.data());
        putMeta(root, decision);
        return root;
    }
}
