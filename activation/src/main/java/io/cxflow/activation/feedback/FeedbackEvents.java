package io.cxflow.activation.feedback;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.LibraryContext;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.json.JsonText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the feedback events activation writes to {@code cx.events.v1}: {@code TRACK} events in the
 * platform's {@link TouchpointEvent} schema, keyed and identified by the customer's {@link Recipient}
 * (analytics' routing id), with {@code sourceId} = the configured feedback source and a {@code
 * messageId} derived from the decision's idempotency key and the outcome ({@link #messageId}), so a
 * repeated publication of the same fact counts once in analytics' dedupe.
 *
 * <p>Names: {@code Email Sent}, {@code SMS Sent}, {@code Push Sent}; {@code Message Failed}; from
 * receipts and tracking {@code <Channel> Delivered}, {@code <Channel> Bounced}, {@code <Channel>
 * Opened}, {@code <Channel> Link Clicked}, {@code <Channel> Marked as Spam}; {@code Consent Updated}
 * (properties {@code channel}, {@code granted}: the event analytics reads consent from).
 * {@code context.channel} is the activation channel ({@code email}, {@code sms}, {@code push}); the
 * event's own {@code channel} is the platform channel it counts under in profiles ({@code email}, and
 * {@code mobile} for SMS and push, which are not platform channels).
 */
public final class FeedbackEvents {

    /** The event of a message that could not be sent (or, by receipt, delivered). */
    public static final String MESSAGE_FAILED = "Message Failed";
    /** The event analytics reads consent changes from ({@code properties.channel}, {@code properties.granted}). */
    public static final String CONSENT_UPDATED = "Consent Updated";
    /**
     * The property marking what was done to the customer (sent, delivered, bounced, failed) rather than
     * by them: analytics counts such events but they move neither the profile's first/last seen (so not
     * {@code idle()}) nor its channels.
     */
    public static final String OUTBOUND = "cx_outbound";

    /** {@code context.library.name} of every feedback event. */
    public static final String LIBRARY = "cx-activation";

    private final String sourceId;
    private final Clock clock;

    public FeedbackEvents(String sourceId, Clock clock) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The channel's word in event names: {@code Email}, {@code SMS}, {@code Push}. */
    public static String label(String channel) {
        return switch (channel) {
            case "email" -> "Email";
            case "sms" -> "SMS";
            case "push" -> "Push";
            default -> throw new IllegalArgumentException("no feedback events for channel '" + channel + "'");
        };
    }

    /** The platform channel an event of an activation channel counts under in profiles. */
    public static String platformChannel(String channel) {
        return "email".equals(channel) ? "email" : "mobile";
    }

    /** {@code Email Sent}, {@code SMS Sent}, {@code Push Sent}. */
    public static String sentName(String channel) {
        return label(channel) + " Sent";
    }

    /**
     * The {@code messageId} of a fact about a decision: {@code cxa-} + the first 32 hex digits of
     * SHA-256({@code idempotencyKey + "\n" + outcome}). The same fact always gets the same id.
     */
    public static String messageId(String idempotencyKey, String outcome) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((idempotencyKey + "\n" + outcome).getBytes(StandardCharsets.UTF_8));
            return "cxa-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * {@code <Channel> Sent} for a decision whose provider accepted the message: {@code result} is its
     * {@code SENT} result, or the {@code SKIPPED} result of a repetition the ledger knows as sent.
     */
    public TouchpointEvent sent(ActivationResult result, Recipient recipient) {
        ObjectNode properties = resultProperties(result, "sent");
        if (result.getAttempt() > 0) {
            properties.put("attempts", result.getAttempt());
        }
        if (result.getProviderStatus() != null) {
            properties.put("providerStatus", result.getProviderStatus());
        }
        return event(
                messageId(result.getIdempotencyKey(), "sent"),
                sentName(result.getChannel()),
                result.getChannel(),
                recipient,
                properties,
                result.getAt());
    }

    /** {@code Message Failed} for a decision that failed for good (its {@code FAILED} result). */
    public TouchpointEvent failed(ActivationResult result, Recipient recipient) {
        ObjectNode properties = resultProperties(result, "failed");
        properties.put("stage", "send");
        properties.put("attempts", result.getAttempt());
        if (result.getReason() != null) {
            properties.put("reason", result.getReason());
        }
        if (result.getProviderStatus() != null) {
            properties.put("providerStatus", result.getProviderStatus());
        }
        return event(
                messageId(result.getIdempotencyKey(), "failed"),
                MESSAGE_FAILED,
                result.getChannel(),
                recipient,
                properties,
                result.getAt());
    }

    private static ObjectNode resultProperties(ActivationResult result, String status) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("idempotencyKey", result.getIdempotencyKey());
        properties.put("workflowId", result.getWorkflowId());
        properties.put("workflowVersion", result.getWorkflowVersion());
        properties.put("stepId", result.getStepId());
        properties.put("channel", result.getChannel());
        if (result.getSegmentId() != null) {
            properties.put("segmentId", result.getSegmentId());
        }
        if (result.getMembershipVersion() != null) {
            properties.put("membershipVersion", result.getMembershipVersion());
        }
        properties.put("status", status);
        properties.put(OUTBOUND, true);
        return properties;
    }

    /** The event of a provider's receipt for a decision of {@code channel}. */
    public TouchpointEvent receipt(DeliveryReceipt receipt, String channel, Recipient recipient) {
        IdempotencyKey key = receipt.key();
        ObjectNode properties = keyProperties(key, channel);
        ReceiptStatus status = receipt.status();
        properties.put("status", status.wire());
        if (!status.customerAction()) {
            properties.put(OUTBOUND, true);
        }
        if (status == ReceiptStatus.FAILED) {
            properties.put("stage", "delivery");
        }
        if (status == ReceiptStatus.UNSUBSCRIBED) {
            properties.put("granted", false);
            properties.put("source", "provider_receipt");
        }
        receipt.url().ifPresent(url -> properties.put("url", url));
        receipt.reason().ifPresent(reason -> properties.put("reason", reason));
        receipt.providerMessageId().ifPresent(id -> properties.put("providerMessageId", id));
        String outcome = status.outcome() + receipt.url().map(url -> "\n" + url).orElse("");
        return event(
                messageId(key.value(), outcome),
                status.eventName(channel),
                channel,
                recipient,
                properties,
                receipt.at().orElse(null));
    }

    /** {@code Email Opened}, from the tracking pixel of the email of decision {@code key}. */
    public TouchpointEvent opened(IdempotencyKey key, String segmentId, Recipient recipient) {
        ObjectNode properties = keyProperties(key, "email");
        properties.put("segmentId", segmentId);
        properties.put("status", ReceiptStatus.OPENED.wire());
        return event(
                messageId(key.value(), ReceiptStatus.OPENED.outcome()),
                ReceiptStatus.OPENED.eventName("email"),
                "email",
                recipient,
                properties,
                null);
    }

    /** {@code Email Link Clicked}, from a tracked link of the email of decision {@code key}. */
    public TouchpointEvent clicked(IdempotencyKey key, String segmentId, String url, Recipient recipient) {
        ObjectNode properties = keyProperties(key, "email");
        properties.put("segmentId", segmentId);
        properties.put("status", ReceiptStatus.CLICKED.wire());
        properties.put("url", url);
        return event(
                messageId(key.value(), ReceiptStatus.CLICKED.outcome() + "\n" + url),
                ReceiptStatus.CLICKED.eventName("email"),
                "email",
                recipient,
                properties,
                null);
    }

    /**
     * {@code Consent Updated} withdrawing consent for {@code channel}, asked by the customer through an
     * unsubscribe link. Each request is its own fact (a random {@code messageId}): a customer may
     * subscribe again and unsubscribe again.
     */
    public TouchpointEvent unsubscribed(String channel, String how, Recipient recipient) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("channel", channel);
        properties.put("granted", false);
        properties.put("source", how);
        return event("cxa-" + UUID.randomUUID(), CONSENT_UPDATED, channel, recipient, properties, null);
    }

    private static ObjectNode keyProperties(IdempotencyKey key, String channel) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("idempotencyKey", key.value());
        properties.put("workflowId", key.workflowId());
        properties.put("stepId", key.stepId());
        properties.put("channel", channel);
        properties.put("membershipVersion", key.membershipVersion());
        return properties;
    }

    private TouchpointEvent event(
            String messageId, String name, String channel, Recipient recipient, ObjectNode properties, Instant at) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // event time never after receipt, as the collector does for clients' clocks
        Instant time = at == null || at.isAfter(now) ? now : at;
        return TouchpointEvent.newBuilder()
                .setMessageId(messageId)
                .setType(EventType.TRACK)
                .setSourceId(sourceId)
                .setChannel(platformChannel(channel))
                .setUserId(recipient.isUserId() ? recipient.value() : null)
                .setAnonymousId(recipient.isUserId() ? null : recipient.value())
                .setEvent(name)
                .setProperties(JsonText.write(properties))
                .setContext(Context.newBuilder()
                        .setChannel(channel)
                        .setLibrary(LibraryContext.newBuilder()
                                .setName(LIBRARY)
                                .setVersion(null)
                                .build())
                        .build())
                .setOriginalTimestamp(at)
                .setReceivedAt(now)
                .setTimestamp(time)
                .build();
    }
}
