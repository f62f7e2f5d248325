package io.cxflow.activation.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.testing.MutableClock;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.json.JsonText;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeedbackEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T18:10:00Z");
    private static final Recipient USER = new Recipient(Recipient.USER_ID, "u-1");
    private static final Recipient ANONYMOUS = new Recipient(Recipient.ANONYMOUS_ID, "a-9");

    private final FeedbackEvents events = new FeedbackEvents("cx-activation", new MutableClock(NOW));

    private static ActivationResult result(String channel, ActivationStatus status, int attempt, String reason) {
        return ActivationResult.newBuilder()
                .setIdempotencyKey("welcome:" + channel + ":cus_42:3")
                .setCustomerId("cus_42")
                .setWorkflowId("welcome")
                .setWorkflowVersion(2)
                .setStepId(channel)
                .setChannel(channel)
                .setStatus(status)
                .setAttempt(attempt)
                .setReason(reason)
                .setSegmentId("high-value")
                .setMembershipVersion(3L)
                .setTrigger("segment high-value ENTERED")
                .setProviderStatus(status == ActivationStatus.SENT ? 250 : null)
                .setAt(Instant.parse("2026-11-22T18:03:11Z"))
                .build();
    }

    private static JsonNode properties(TouchpointEvent event) {
        return JsonText.read(event.getProperties());
    }

    @Test
    void shouldDescribeASentEmailForAnalytics() {
        TouchpointEvent sent = events.sent(result("email", ActivationStatus.SENT, 1, null), USER);

        assertThat(sent.getType()).isEqualTo(EventType.TRACK);
        assertThat(sent.getEvent()).isEqualTo("Email Sent");
        assertThat(sent.getSourceId()).isEqualTo("cx-activation");
        assertThat(sent.getUserId()).isEqualTo("u-1");
        assertThat(sent.getAnonymousId()).isNull();
        assertThat(sent.getChannel()).isEqualTo("email");
        assertThat(sent.getContext().getChannel()).isEqualTo("email");
        assertThat(sent.getContext().getLibrary().getName()).isEqualTo("cx-activation");
        assertThat(sent.getTimestamp()).isEqualTo(Instant.parse("2026-11-22T18:03:11Z"));
        assertThat(sent.getReceivedAt()).isEqualTo(NOW);
        assertThat(sent.getMessageId()).isEqualTo(FeedbackEvents.messageId("welcome:email:cus_42:3", "sent"));
        assertThat(sent.getMessageId()).matches("cxa-[0-9a-f]{32}");
        JsonNode p = properties(sent);
        assertThat(p.path("idempotencyKey").asText()).isEqualTo("welcome:email:cus_42:3");
        assertThat(p.path("workflowId").asText()).isEqualTo("welcome");
        assertThat(p.path("workflowVersion").asLong()).isEqualTo(2);
        assertThat(p.path("stepId").asText()).isEqualTo("email");
        assertThat(p.path("segmentId").asText()).isEqualTo("high-value");
        assertThat(p.path("membershipVersion").asLong()).isEqualTo(3);
        assertThat(p.path("attempts").asInt()).isEqualTo(1);
        assertThat(p.path("providerStatus").asInt()).isEqualTo(250);
        assertThat(p.path(FeedbackEvents.OUTBOUND).asBoolean())
                .as("done to the customer, not by them")
                .isTrue();
    }

    @Test
    void shouldGiveTheSameMessageIdToTheSameFactAndAnotherToEveryOtherFact() {
        TouchpointEvent sms = events.sent(result("sms", ActivationStatus.SENT, 2, null), ANONYMOUS);
        TouchpointEvent again = events.sent(
                result("sms", ActivationStatus.SKIPPED, 0, FeedbackResultSink.ALREADY_SENT + ": not run again"),
                ANONYMOUS);
        TouchpointEvent failed = events.failed(result("sms", ActivationStatus.FAILED, 5, "HTTP 500"), ANONYMOUS);

        assertThat(sms.getEvent()).isEqualTo("SMS Sent");
        assertThat(sms.getChannel()).isEqualTo("mobile");
        assertThat(sms.getContext().getChannel()).isEqualTo("sms");
        assertThat(sms.getAnonymousId()).isEqualTo("a-9");
        assertThat(sms.getUserId()).isNull();
        assertThat(again.getMessageId()).isEqualTo(sms.getMessageId());
        assertThat(failed.getEvent()).isEqualTo("Message Failed");
        assertThat(failed.getMessageId()).isNotEqualTo(sms.getMessageId());
        assertThat(properties(failed).path("reason").asText()).isEqualTo("HTTP 500");
        assertThat(properties(failed).path("stage").asText()).isEqualTo("send");
        assertThat(properties(failed).path(FeedbackEvents.OUTBOUND).asBoolean()).isTrue();
    }

    @Test
    void shouldNameReceiptEventsPerChannelAndShareTheOpenWithThePixel() {
        IdempotencyKey key = IdempotencyKey.parse("welcome:mail:cus_42:3");
        DeliveryReceipt opened = new DeliveryReceipt(
                key,
                ReceiptStatus.OPENED,
                Optional.of(Instant.parse("2026-11-22T18:05:00Z")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        TouchpointEvent byProvider = events.receipt(opened, "email", USER);
        TouchpointEvent byPixel = events.opened(key, "high-value", USER);

        assertThat(byProvider.getEvent()).isEqualTo("Email Opened");
        assertThat(byPixel.getEvent()).isEqualTo("Email Opened");
        assertThat(byProvider.getMessageId()).isEqualTo(byPixel.getMessageId());
        assertThat(byProvider.getTimestamp()).isEqualTo(Instant.parse("2026-11-22T18:05:00Z"));
        assertThat(properties(byProvider).has(FeedbackEvents.OUTBOUND))
                .as("an open is the customer's doing")
                .isFalse();
        assertThat(properties(byPixel).has(FeedbackEvents.OUTBOUND)).isFalse();
        DeliveryReceipt delivered = new DeliveryReceipt(
                key, ReceiptStatus.DELIVERED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(properties(events.receipt(delivered, "email", USER))
                        .path(FeedbackEvents.OUTBOUND)
                        .asBoolean())
                .isTrue();
        assertThat(ReceiptStatus.DELIVERED.eventName("sms")).isEqualTo("SMS Delivered");
        assertThat(ReceiptStatus.BOUNCED.eventName("email")).isEqualTo("Email Bounced");
        assertThat(ReceiptStatus.CLICKED.eventName("push")).isEqualTo("Push Link Clicked");
        assertThat(ReceiptStatus.COMPLAINED.eventName("email")).isEqualTo("Email Marked as Spam");
        assertThat(ReceiptStatus.FAILED.eventName("sms")).isEqualTo("Message Failed");
        assertThat(ReceiptStatus.UNSUBSCRIBED.eventName("sms")).isEqualTo("Consent Updated");
    }

    @Test
    void shouldCountEveryDistinctLinkOnceAndNeverDateAnEventInTheFuture() {
        IdempotencyKey key = IdempotencyKey.parse("welcome:mail:cus_42:3");
        DeliveryReceipt future = new DeliveryReceipt(
                key,
                ReceiptStatus.DELIVERED,
                Optional.of(NOW.plusSeconds(3600)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        TouchpointEvent a = events.clicked(key, "high-value", "https://shop.example/a", USER);
        TouchpointEvent a2 = events.clicked(key, "high-value", "https://shop.example/a", USER);
        TouchpointEvent b = events.clicked(key, "high-value", "https://shop.example/b", USER);

        assertThat(a.getEvent()).isEqualTo("Email Link Clicked");
        assertThat(properties(a).path("url").asText()).isEqualTo("https://shop.example/a");
        assertThat(a2.getMessageId()).isEqualTo(a.getMessageId());
        assertThat(b.getMessageId()).isNotEqualTo(a.getMessageId());
        assertThat(events.receipt(future, "email", USER).getTimestamp()).isEqualTo(NOW);
    }

    @Test
    void shouldWithdrawConsentTheWayAnalyticsReadsIt() {
        TouchpointEvent first = events.unsubscribed("email", "unsubscribe_link", USER);
        TouchpointEvent second = events.unsubscribed("email", "unsubscribe_link", USER);

        assertThat(first.getEvent()).isEqualTo("Consent Updated");
        assertThat(properties(first).path("channel").asText()).isEqualTo("email");
        assertThat(properties(first).path("granted").isBoolean()).isTrue();
        assertThat(properties(first).path("granted").asBoolean()).isFalse();
        assertThat(second.getMessageId()).isNotEqualTo(first.getMessageId());
    }
}
