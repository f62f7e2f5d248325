package io.cxflow.activation.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.email.TrackingLinks;
import io.cxflow.activation.channel.email.UnsubscribeLinks;
import io.cxflow.activation.testing.MutableClock;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.PrivacyRequestType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.http.HttpProblem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackTest {

    private static final String SECRET = "receipt-secret";
    private static final TrackingLinks TRACKING = new TrackingLinks("https://t.shop.example", "track-secret");
    private static final UnsubscribeLinks UNSUBSCRIBE =
            new UnsubscribeLinks(URI.create("https://cx.shop.example/v1/unsubscribe"), Optional.empty(), "unsub");
    private static final TrackingLinks.Target MAIL = new TrackingLinks.Target("welcome:mail:cus_42:3", "high-value");

    private final FeedbackFixtures fx = new FeedbackFixtures();

    @BeforeEach
    void setUp() throws Exception {
        fx.startedDirectory().remember("cus_42", new Recipient(Recipient.USER_ID, "u-1"));
    }

    @AfterEach
    void tearDown() {
        fx.directory.close();
    }

    private Feedback feedback(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("activation.feedback.receipt-secret", SECRET));
        all.putAll(settings);
        FeedbackConfig config = FeedbackConfig.from(ConfigSource.of(all));
        return new Feedback(
                config,
                fx.directory,
                new FeedbackEvents(config.sourceId(), new MutableClock(Instant.parse("2026-11-22T18:10:00Z"))),
                fx.publisher,
                Optional.of(TRACKING),
                Optional.of(UNSUBSCRIBE),
                new ActivationMetrics(new SimpleMeterRegistry()));
    }

    private static String sign(String body) {
        return new RequestSigner(SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
    }

    private Feedback.ReceiptAnswer receipts(Feedback feedback, String channel, String body) throws Exception {
        return feedback.receipts(channel, body.getBytes(StandardCharsets.UTF_8), sign(body));
    }

    private static HttpProblem problem(ThrowingCall call) {
        try {
            call.run();
        } catch (HttpProblem e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an HttpProblem", e);
        }
        throw new AssertionError("expected an HttpProblem, nothing was thrown");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void shouldWriteAnEventPerKnownReceiptAndSayWhatHappenedToTheOthers() throws Exception {
        fx.directory.remember("cus_gone", new Recipient(Recipient.USER_ID, "u-gone"));
        fx.directory.apply(PrivacyRequest.newBuilder()
                .setRequestId("r-1")
                .setType(PrivacyRequestType.DELETE)
                .setIdentifierType("userId")
                .setIdentifier("U-GONE")
                .setRequestedAt(Instant.EPOCH)
                .build());
        String body = """
                {"receipts": [
                  {"idempotencyKey": "welcome:text:cus_42:3", "status": "delivered", "providerMessageId": "SM1"},
                  {"idempotencyKey": "welcome:text:cus_unknown:1", "status": "delivered"},
                  {"idempotencyKey": "welcome:text:cus_gone:1", "status": "delivered"},
                  {"idempotencyKey": "welcome:text:cus_42:3", "status": "lost"}]}""";

        Feedback.ReceiptAnswer answer = receipts(feedback(Map.of()), "sms", body);

        assertThat(answer.accepted()).isEqualTo(1);
        assertThat(answer.ignored())
                .extracting(Feedback.Ignored::index, Feedback.Ignored::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "unknown_recipient"),
                        org.assertj.core.groups.Tuple.tuple(2, "deleted"));
        assertThat(answer.rejected()).extracting(DeliveryReceipt.Problem::field).containsExactly("receipts[3].status");
        assertThat(fx.events()).singleElement().satisfies(e -> {
            assertThat(e.getEvent()).isEqualTo("SMS Delivered");
            assertThat(e.getUserId()).isEqualTo("u-1");
            assertThat(e.getMessageId()).isEqualTo(FeedbackEvents.messageId("welcome:text:cus_42:3", "delivered"));
        });
        assertThat(fx.eventKeys()).containsExactly("u-1");
    }

    @Test
    void shouldRefuseUnsignedUnknownUnconfiguredAndUnreadableReceipts() {
        Feedback feedback = feedback(Map.of());
        String body = "{\"idempotencyKey\": \"welcome:text:cus_42:3\", \"status\": \"delivered\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(problem(() -> feedback.receipts("sms", bytes, null)).status())
                .isEqualTo(401);
        assertThat(problem(() -> feedback.receipts("sms", bytes, sign(body + " ")))
                        .code())
                .isEqualTo("invalid_signature");
        assertThat(problem(() -> feedback.receipts("webhook", bytes, sign(body)))
                        .status())
                .isEqualTo(404);
        assertThat(problem(() -> feedback.receipts("webhook", bytes, null)).status())
                .isEqualTo(401);
        assertThat(problem(() -> feedback(Map.of("activation.feedback.channels", "email"))
                                .receipts("sms", bytes, sign(body)))
                        .status())
                .isEqualTo(404);
        Feedback unconfigured = feedback(Map.of("activation.feedback.receipt-secret", " "));
        assertThat(problem(() -> unconfigured.receipts("sms", bytes, sign(body)))
                        .getMessage())
                .contains("activation.feedback.receipt-secret");
        assertThat(problem(() -> receipts(feedback, "sms", "{not json")).code()).isEqualTo("malformed_json");
        assertThatThrownBy(() -> receipts(feedback, "sms", "{\"status\": \"delivered\"}"))
                .isInstanceOf(Feedback.InvalidReceipts.class)
                .satisfies(e -> assertThat(((Feedback.InvalidReceipts) e).problems())
                        .extracting(DeliveryReceipt.Problem::field)
                        .containsExactly("idempotencyKey"));
        assertThat(fx.events()).isEmpty();
    }

    @Test
    void shouldRecordOpensAndClicksOfValidTokensOnly() throws Exception {
        Feedback feedback = feedback(Map.of());
        String pixel = TRACKING.pixelUrl(MAIL);
        String openToken = pixel.substring(pixel.lastIndexOf('/') + 1, pixel.length() - 4);
        String click = TRACKING.clickUrl(MAIL, "https://shop.example/a");
        String clickToken = click.substring(click.lastIndexOf('/') + 1, click.indexOf('?'));

        assertThat(feedback.open(openToken)).isTrue();
        assertThat(feedback.open(clickToken)).isFalse();
        assertThat(feedback.click(clickToken, "https://shop.example/a")).contains("https://shop.example/a");
        assertThat(feedback.click(clickToken, "https://shop.example/b")).isEmpty();
        assertThat(feedback.isOpenToken(openToken)).isTrue();
        assertThat(feedback.clickTarget(clickToken, "https://shop.example/a")).contains("https://shop.example/a");

        assertThat(fx.events())
                .extracting(TouchpointEvent::getEvent)
                .containsExactly("Email Opened", "Email Link Clicked");
    }

    @Test
    void shouldServeTrackingButRecordNothingWhenEmailFeedbackIsOff() {
        Feedback feedback = feedback(Map.of("activation.feedback.channels", "sms"));
        String pixel = TRACKING.pixelUrl(MAIL);

        assertThat(feedback.open(pixel.substring(pixel.lastIndexOf('/') + 1, pixel.length() - 4)))
                .isTrue();
        assertThat(fx.events()).isEmpty();
    }

    @Test
    void shouldWithdrawEmailConsentForAValidUnsubscribeTokenOfAKnownCustomer() throws Exception {
        Feedback feedback = feedback(Map.of());

        assertThat(feedback.unsubscribe(UNSUBSCRIBE.token("cus_42"))).isEqualTo(Feedback.Unsubscribe.DONE);
        assertThat(feedback.unsubscribe("cus_42.forged")).isEqualTo(Feedback.Unsubscribe.INVALID);
        assertThat(feedback.unsubscribe(UNSUBSCRIBE.token("cus_nobody")))
                .isEqualTo(Feedback.Unsubscribe.UNKNOWN_CUSTOMER);
        fx.directory.apply(PrivacyRequest.newBuilder()
                .setRequestId("r-2")
                .setType(PrivacyRequestType.DELETE)
                .setIdentifierType("customerId")
                .setIdentifier("cus_42")
                .setRequestedAt(Instant.EPOCH)
                .build());
        assertThat(feedback.unsubscribe(UNSUBSCRIBE.token("cus_42"))).isEqualTo(Feedback.Unsubscribe.DELETED);

        assertThat(fx.events()).singleElement().satisfies(e -> {
            assertThat(e.getEvent()).isEqualTo("Consent Updated");
            assertThat(e.getProperties()).contains("\"channel\":\"email\"").contains("\"granted\":false");
        });
    }
}
