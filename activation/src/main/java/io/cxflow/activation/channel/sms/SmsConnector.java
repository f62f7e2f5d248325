package io.cxflow.activation.channel.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.ContactPoints;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.channel.http.JsonProviderConnector;
import io.cxflow.activation.decision.Decision;
import java.time.Clock;

/**
 * The {@code sms} channel: a provider-agnostic HTTP adapter. One {@code POST} per decision of
 *
 * <pre>{@code
 * {"idempotencyKey": "welcome:sms:cus_42:3", "channel": "sms",
 *  "to": "+393331234567", "from": "CXSHOP", "body": "Hi Ann, 10% off today",
 *  "data": {"coupon": "WELCOME10"},
 *  "meta": {"workflowId": "welcome", "workflowVersion": 2, "stepId": "sms", "customerId": "cus_42",
 *           "segmentId": "high-value", "change": "ENTERED", "membershipVersion": 3}}
 * }</pre>
 *
 * with {@code Idempotency-Key}. {@code to} is the customer's preferred phone in E.164 (else the first
 * phone of the snapshot); {@code body} is the rendered text, else the step's {@code text} (or {@code
 * body}) setting; {@code from} only when configured. No phone or no text is a permanent failure.
 */
public final class SmsConnector extends JsonProviderConnector {

    public static final String CHANNEL = "sms";

    private final SmsConfig config;

    public SmsConnector(SmsConfig config, ObjectMapper mapper, Clock clock) {
        super(CHANNEL, config.provider().endpoint(), config.provider().signer(), mapper, clock);
        this.config = config;
    }

    @Override
    protected ObjectNode document(Decision decision, SendContext context) throws Undeliverable {
        String to = ContactPoints.phone(decision.change())
                .orElseThrow(() -> new Undeliverable("the customer has no phone number in E.164"));
        RenderedContent content = RenderedContent.resolve(context, decision.settings());
        if (!content.hasText()) {
            throw new Undeliverable("no SMS text: no rendered template and no 'text' setting on the step");
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("idempotencyKey", decision.key().value());
        root.put("channel", CHANNEL);
        root.put("to", to);
        config.from().ifPresent(from -> root.put("from", from));
        root.put("body", content.text());
        putData(root, content.data());
        putMeta(root, decision);
        return root;
    }
}
