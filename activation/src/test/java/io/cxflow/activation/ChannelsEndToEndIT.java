package io.cxflow.activation;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service with the email channel on a GreenMail SMTP server and the SMS channel on a loopback
 * HTTP provider: workflows naming them are validated on save, and a membership change becomes a
 * rendered email and a rendered SMS.
 */
@CxIntegrationTest
class ChannelsEndToEndIT {

    private static final String ADMIN = "it-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private GreenMail smtp;
    private RecordingReceiver sms;
    private ActivationService service;
    private String groupId;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (sms != null) {
            sms.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        http.close();
    }

    private void start(TestPlatform platform, Map<String, String> extra) throws Exception {
        if (smtp == null) {
            platform.createTopics();
            platform.produce(
                    platform.topics().privacy(),
                    List.of(TestPlatform.KeyValue.of(
                            "blocked@example.com",
                            io.cxflow.avro.PrivacyRequest.newBuilder()
                                    .setRequestId("req-1")
                                    .setType(io.cxflow.avro.PrivacyRequestType.SUPPRESS)
                                    .setIdentifierType("email")
                                    .setIdentifier("Blocked@Example.com")
                                    .setRequestedAt(java.time.Instant.now())
                                    .build())));
            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            sms = new RecordingReceiver();
            groupId = platform.uniqueId("activation");
        }
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.LOCAL,
                platform.bootstrapServers(),
                platform.registryUrl(),
                platform.topics().prefix(),
                ADMIN);
        PlatformContext context = new PlatformContext(
                new KafkaSettings(platform.bootstrapServers(), platform.uniqueId("cx"), platform.registryUrl()),
                platform.serdes(),
                platform.topics(),
                common);
        Map<String, String> settings = new HashMap<>();
        settings.put("activation.port", "0");
        settings.put("activation.group.id", groupId);
        settings.put("activation.quiet-hours", "off");
        settings.put("activation.retry.max-attempts", "2");
        settings.put("activation.retry.initial-backoff", "50ms");
        settings.put("activation.retry.max-backoff", "100ms");
        settings.put("activation.email.smtp.host", "127.0.0.1");
        settings.put("activation.email.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        settings.put("activation.email.smtp.tls", "none");
        settings.put("activation.email.from", "Shop <news@shop.example>");
        settings.put("activation.email.unsubscribe.url", "https://cx.shop.example/v1/unsubscribe");
        settings.put("activation.email.unsubscribe.secret", "unsub-secret");
        settings.put("activation.sms.url", sms.url("/sms"));
        settings.putAll(extra);
        service = ActivationService.start(ActivationConfig.of(settings), context);
        awaitReady();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (send("GET", "/health/ready", null).statusCode() == 200) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("activation not ready within " + WAIT);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void produce(TestPlatform platform, SegmentMembershipChanged... changes) {
        platform.produce(
                platform.topics().segmentMembership(),
                java.util.Arrays.stream(changes)
                        .map(c -> TestPlatform.KeyValue.of(c.getCustomerId(), c))
                        .toList());
    }

    private static List<ActivationResult> resultsUntil(TestPlatform platform, String key, ActivationStatus status) {
        return platform
                .readUntil(
                        platform.topics().activations(),
                        seen -> seen.stream()
                                .anyMatch(r -> r.value().getIdempotencyKey().equals(key)
                                        && r.value().getStatus() == status),
                        WAIT)
                .stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getIdempotencyKey().equals(key))
                .toList();
    }

    private static final String WELCOME = """
            {"segment": "high-value", "on": "ENTERED", "steps": [
              {"id": "mail", "send": {"channel": "email", "subject": "Welcome to {{segment.id}}",
               "text": "Hi {{#customer.userId}}{{customer.userId}}{{/customer.userId}}{{^customer.userId}}there{{/customer.userId}}, see {{unsubscribeUrl}}"}},
              {"id": "text", "send": {"channel": "sms", "text": "Code for {{customer.id}}: WELCOME10"}}]}
            """;

    @Test
    void shouldSendRenderedEmailAndSmsWhenCustomerEntersTheSegment(TestPlatform platform) throws Exception {
        // Given the email and SMS channels configured and a workflow using both
        start(platform, Map.of());
        HttpResponse<String> put = send("PUT", "/v1/workflows/welcome", WELCOME);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // When a customer with a phone and consent for both enters the segment
        SegmentMembershipChanged change = change("c-1", "high-value", MembershipChange.ENTERED, 1);
        change.setPhone("+393331234567");
        change.setConsent(Map.of("email", true, "sms", true));
        produce(platform, change);

        // Then one email with the rendered subject and text, and one SMS with the rendered body
        resultsUntil(platform, "welcome:text:c-1:1", ActivationStatus.SENT);
        assertThat(resultsUntil(platform, "welcome:mail:c-1:1", ActivationStatus.SENT))
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.SENT);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject()).isEqualTo("Welcome to high-value");
        assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        String mailBody = GreenMailUtil.getBody(mails[0]);
        assertThat(mailBody).contains("Hi u-1, see https://cx.shop.example/v1/unsubscribe?token=");
        assertThat(sms.requests()).hasSize(1);
        JsonNode smsBody = MAPPER.readTree(sms.requests().getFirst().body());
        assertThat(smsBody.path("to").asText()).isEqualTo("+393331234567");
        assertThat(smsBody.path("body").asText()).isEqualTo("Code for c-1: WELCOME10");
        assertThat(sms.requests().getFirst().header("Idempotency-Key")).isEqualTo("welcome:text:c-1:1");
    }

    @Test
    void shouldRefuseStepsForChannelsThatAreNotConfiguredOrIncomplete(TestPlatform platform) throws Exception {
        start(platform, Map.of());

        HttpResponse<String> invalid = send("PUT", "/v1/workflows/bad", """
                {"segment": "high-value", "on": "ENTERED", "steps": [
                  {"id": "push", "send": {"channel": "push", "text": "hi"}},
                  {"id": "mail", "send": {"channel": "email", "text": "no subject {{#x}}"}}]}
                """);

        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode errors = MAPPER.readTree(invalid.body()).path("errors");
        assertThat(errors.findValuesAsText("field"))
                .containsExactlyInAnyOrder("steps[0].send.channel", "steps[1].send.subject", "steps[1].send.text");
        assertThat(errors.toString()).contains("activation.push.url");
    }

    @Test
    void shouldKeepCapsAcrossARestartAndSkipWithoutConsentOrWhenSuppressed(TestPlatform platform) throws Exception {
        // Given at most one SMS per customer per day, and a first run that sent c-2 one
        Map<String, String> caps = Map.of("activation.caps", "sms:1/24h");
        start(platform, caps);
        assertThat(send("PUT", "/v1/workflows/promo", """
                        {"segment": "high-value", "on": "ENTERED", "steps": [
                          {"id": "text", "send": {"channel": "sms", "text": "Promo for {{customer.id}}"}}]}
                        """).statusCode()).isEqualTo(200);
        SegmentMembershipChanged first = change("c-2", "high-value", MembershipChange.ENTERED, 1);
        first.setPhone("+393331234567");
        first.setConsent(Map.of("sms", true));
        produce(platform, first);
        resultsUntil(platform, "promo:text:c-2:1", ActivationStatus.SENT);
        service.close();

        // When a second run (same group, same ledger) sees c-2 enter again, and c-3 without SMS consent
        start(platform, caps);
        SegmentMembershipChanged again = change("c-2", "high-value", MembershipChange.ENTERED, 3);
        again.setPhone("+393331234567");
        again.setConsent(Map.of("sms", true));
        SegmentMembershipChanged noConsent = change("c-3", "high-value", MembershipChange.ENTERED, 1);
        noConsent.setPhone("+393331234568");
        SegmentMembershipChanged suppressed = change("c-4", "high-value", MembershipChange.ENTERED, 1);
        suppressed.setPhone("+393331234569");
        suppressed.setEmail("blocked@example.com");
        suppressed.setConsent(Map.of("sms", true));
        produce(platform, again, noConsent, suppressed);

        // Then both are SKIPPED with their reasons, and only the first SMS was ever sent
        assertThat(resultsUntil(platform, "promo:text:c-2:3", ActivationStatus.SKIPPED))
                .singleElement()
                .satisfies(r -> assertThat(r.getReason()).isEqualTo("frequency cap sms:1/PT24H reached"));
        assertThat(resultsUntil(platform, "promo:text:c-3:1", ActivationStatus.SKIPPED))
                .singleElement()
                .satisfies(r -> assertThat(r.getReason()).startsWith("no consent for sms"));
        // and the customer suppressed on cx.privacy.v1 before the start is not activated
        assertThat(resultsUntil(platform, "promo:text:c-4:1", ActivationStatus.SKIPPED))
                .singleElement()
                .satisfies(r -> assertThat(r.getReason()).isEqualTo("customer is suppressed"));
        assertThat(sms.requests()).extracting(r -> r.header("Idempotency-Key")).containsExactly("promo:text:c-2:1");
    }

    @Test
    void shouldRunAWaitingStepOnceAfterTheWaitAcrossARestart(TestPlatform platform) throws Exception {
        // Given a workflow that waits 3 s before calling a webhook
        start(platform, Map.of());
        assertThat(send("PUT", "/v1/workflows/drip", """
                        {"segment": "high-value", "on": "ENTERED", "steps": [
                          {"id": "pause", "wait": "3s"},
                          {"id": "hook", "send": {"channel": "webhook", "url": "%s"}}]}
                        """.formatted(sms.url("/hook")))
                        .statusCode())
                .isEqualTo(200);

        // When c-8 enters and the service stops once the step is deferred, then starts again
        SegmentMembershipChanged entered = change("c-8", "high-value", MembershipChange.ENTERED, 1);
        entered.setAt(java.time.Instant.now());
        produce(platform, entered);
        resultsUntil(platform, "drip:hook:c-8:1", ActivationStatus.DEFERRED);
        service.close();
        start(platform, Map.of());

        // Then the webhook is called exactly once, not before the wait was over
        List<ActivationResult> results = resultsUntil(platform, "drip:hook:c-8:1", ActivationStatus.SENT);
        assertThat(results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.DEFERRED, ActivationStatus.SENT);
        assertThat(results.getLast().getAt()).isAfterOrEqualTo(entered.getAt().plusSeconds(3));
        assertThat(sms.requests(r -> r.path().equals("/hook"))).hasSize(1);
    }
}
