package io.cxflow.activation.feedback;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feedback loop on the real broker: a workflow sends an email (GreenMail) and an SMS (loopback
 * provider); their outcomes, the email's open pixel and tracked link, a signed delivery receipt (sent
 * twice) and the one-click unsubscribe all become events on {@code cx.events.v1}, keyed by the
 * customer's userId, with the messageIds analytics deduplicates on.
 */
@CxIntegrationTest
class FeedbackIT {

    private static final String ADMIN = "it-admin-token";
    private static final String RECEIPT_SECRET = "receipt-secret";
    private static final String TRACKING_BASE = "https://t.shop.example";
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PIXEL = Pattern.compile("<img src=\"(https://t\\.shop\\.example/t/o/[^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("<a href=\"(https://t\\.shop\\.example/t/c/[^\"]+)\">Sale</a>");
    private static final Pattern UNSUBSCRIBE =
            Pattern.compile("<(https://cx\\.shop\\.example/v1/unsubscribe\\?token=[^>]+)>");

    private static final String WORKFLOW = """
            {"segment": "high-value", "on": "ENTERED", "steps": [
              {"id": "mail", "send": {"channel": "email", "subject": "Our sale",
               "html": "<html><body><p><a href=\\"https://shop.example/sale?x=1&amp;y=2\\">Sale</a></p></body></html>"}},
              {"id": "text", "send": {"channel": "sms", "text": "Sale today"}}]}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private GreenMail smtp;
    private RecordingReceiver sms;
    private ActivationService service;

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

    private void start(TestPlatform platform) throws Exception {
        platform.createTopics();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        sms = new RecordingReceiver();
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
        settings.put("activation.group.id", platform.uniqueId("activation"));
        settings.put("activation.quiet-hours", "off");
        settings.put("activation.email.smtp.host", "127.0.0.1");
        settings.put("activation.email.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        settings.put("activation.email.smtp.tls", "none");
        settings.put("activation.email.from", "Shop <news@shop.example>");
        settings.put("activation.email.unsubscribe.url", "https://cx.shop.example/v1/unsubscribe");
        settings.put("activation.email.unsubscribe.secret", "unsub-secret");
        settings.put("activation.tracking.base-url", TRACKING_BASE);
        settings.put("activation.tracking.secret", "track-secret");
        settings.put("activation.feedback.receipt-secret", RECEIPT_SECRET);
        settings.put("activation.sms.url", sms.url("/sms"));
        service = ActivationService.start(ActivationConfig.of(settings), context);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (send(HttpRequest.newBuilder(uri("/health/ready")).GET()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("activation not ready within " + WAIT);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private URI uri(String path) {
        return URI.create(service.baseUrl() + path);
    }

    /** A link of the email, as the public address a proxy would forward to this instance. */
    private URI local(String publicUrl, String publicBase) {
        return URI.create(
                service.baseUrl() + publicUrl.substring(publicBase.length()).replace("&amp;", "&"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> receipt(String channel, String body, boolean signed) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/feedback/" + channel))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signed) {
            request.header(
                    RequestSigner.HEADER,
                    new RequestSigner(RECEIPT_SECRET).sign(body.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request);
    }

    private static List<TouchpointEvent> eventsUntil(TestPlatform platform, Predicate<List<TouchpointEvent>> done) {
        return platform
                .readUntil(
                        platform.topics().events(),
                        seen -> done.test(
                                seen.stream().map(ConsumerRecord::value).toList()),
                        WAIT)
                .stream()
                .peek(r -> assertThat(r.key()).as("record key = routing id").isEqualTo("u-1"))
                .map(ConsumerRecord::value)
                .toList();
    }

    private static Predicate<List<TouchpointEvent>> count(String name, int n) {
        return events -> events.stream().filter(e -> e.getEvent().equals(name)).count() >= n;
    }

    private static List<TouchpointEvent> named(List<TouchpointEvent> events, String name) {
        return events.stream().filter(e -> e.getEvent().equals(name)).toList();
    }

    private static JsonNode properties(TouchpointEvent event) {
        return JsonText.read(event.getProperties());
    }

    @Test
    void shouldFeedSendsOpensClicksReceiptsAndUnsubscribesBackAsEvents(TestPlatform platform) throws Exception {
        // Given email (with tracking) and SMS, a workflow sending both, and a customer entering its segment
        start(platform);
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/v1/workflows/welcome"))
                .header("Authorization", "Bearer " + ADMIN)
                .PUT(HttpRequest.BodyPublishers.ofString(WORKFLOW)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        SegmentMembershipChanged change = change("c-1", "high-value", MembershipChange.ENTERED, 1);
        change.setPhone("+393331234567");
        change.setConsent(Map.of("email", true, "sms", true));
        platform.produce(platform.topics().segmentMembership(), TestPlatform.KeyValue.of("c-1", change));

        // Then the sends are events on cx.events.v1, keyed and identified by the customer's userId
        List<TouchpointEvent> sent =
                eventsUntil(platform, count("Email Sent", 1).and(count("SMS Sent", 1)));
        TouchpointEvent emailSent = named(sent, "Email Sent").getFirst();
        assertThat(emailSent.getUserId()).isEqualTo("u-1");
        assertThat(emailSent.getSourceId()).isEqualTo("cx-activation");
        assertThat(emailSent.getChannel()).isEqualTo("email");
        assertThat(emailSent.getContext().getChannel()).isEqualTo("email");
        assertThat(emailSent.getMessageId()).isEqualTo(FeedbackEvents.messageId("welcome:mail:c-1:1", "sent"));
        assertThat(properties(emailSent).path("segmentId").asText()).isEqualTo("high-value");
        TouchpointEvent smsSent = named(sent, "SMS Sent").getFirst();
        assertThat(smsSent.getContext().getChannel()).isEqualTo("sms");
        assertThat(properties(smsSent).path("idempotencyKey").asText()).isEqualTo("welcome:text:c-1:1");

        // When the reader's mail client loads the pixel and the reader follows the tracked link
        MimeMessage mail = smtp.getReceivedMessages()[0];
        String html =
                (String) ((MimeMultipart) mail.getContent()).getBodyPart(1).getContent();
        Matcher pixel = PIXEL.matcher(html);
        Matcher link = LINK.matcher(html);
        assertThat(pixel.find()).as(html).isTrue();
        assertThat(link.find()).as(html).isTrue();
        HttpResponse<byte[]> gif = http.send(
                HttpRequest.newBuilder(local(pixel.group(1), TRACKING_BASE))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> click =
                send(HttpRequest.newBuilder(local(link.group(1), TRACKING_BASE)).GET());

        // Then a 1x1 GIF that is never cached and a redirect to the original link
        assertThat(gif.statusCode()).isEqualTo(200);
        assertThat(gif.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(gif.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        assertThat(gif.body()).hasSize(43).startsWith((byte) 'G', (byte) 'I', (byte) 'F');
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).contains("https://shop.example/sale?x=1&y=2");

        // And a link whose target was changed, or a made-up token, is not found (no open redirect)
        String tampered = link.group(1)
                .replace("&amp;", "&")
                .replaceAll("\\?u=.*", "?u=" + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8));
        assertThat(send(HttpRequest.newBuilder(local(tampered, TRACKING_BASE)).GET())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/t/o/bogus.token.gif")).GET())
                        .statusCode())
                .isEqualTo(404);

        // When the SMS provider reports the delivery, twice, and once without a signature
        String body =
                "{\"idempotencyKey\": \"welcome:text:c-1:1\", \"status\": \"delivered\", \"providerMessageId\": \"SM1\"}";
        HttpResponse<String> first = receipt("sms", body, true);
        HttpResponse<String> again = receipt("sms", body, true);
        HttpResponse<String> unsigned = receipt("sms", body, false);

        // Then both signed ones are accepted, the unsigned one refused
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(first.body()).path("accepted").asInt()).isEqualTo(1);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(unsigned.body()).path("error").asText()).isEqualTo("invalid_signature");

        // When the customer unsubscribes with the link of the List-Unsubscribe header (RFC 8058 one-click)
        Matcher unsubscribe =
                UNSUBSCRIBE.matcher(mail.getHeader("List-Unsubscribe", null).replaceAll("\\s+", ""));
        assertThat(unsubscribe.find()).isTrue();
        URI unsubscribeUri = local(unsubscribe.group(1), "https://cx.shop.example");
        HttpResponse<String> page = send(HttpRequest.newBuilder(unsubscribeUri).GET());
        HttpResponse<String> oneClick = send(HttpRequest.newBuilder(unsubscribeUri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\">");
        assertThat(oneClick.statusCode()).as(oneClick.body()).isEqualTo(200);

        // Then opens, clicks, both receipts and the consent change are on the topic; a repeated
        // receipt has the same messageId (analytics counts it once); the GET of the page changed nothing
        List<TouchpointEvent> all = eventsUntil(
                platform,
                count("Email Opened", 1)
                        .and(count("Email Link Clicked", 1))
                        .and(count("SMS Delivered", 2))
                        .and(count("Consent Updated", 1)));
        TouchpointEvent opened = named(all, "Email Opened").getFirst();
        assertThat(opened.getMessageId()).isEqualTo(FeedbackEvents.messageId("welcome:mail:c-1:1", "opened"));
        assertThat(properties(opened).path("segmentId").asText()).isEqualTo("high-value");
        TouchpointEvent clicked = named(all, "Email Link Clicked").getFirst();
        assertThat(properties(clicked).path("url").asText()).isEqualTo("https://shop.example/sale?x=1&y=2");
        List<TouchpointEvent> delivered = named(all, "SMS Delivered");
        assertThat(delivered)
                .extracting(TouchpointEvent::getMessageId)
                .containsOnly(delivered.get(0).getMessageId());
        assertThat(delivered.get(0).getContext().getChannel()).isEqualTo("sms");
        assertThat(properties(delivered.get(0)).path("providerMessageId").asText())
                .isEqualTo("SM1");
        TouchpointEvent consent = named(all, "Consent Updated").getFirst();
        assertThat(properties(consent).path("channel").asText()).isEqualTo("email");
        assertThat(properties(consent).path("granted").asBoolean(true)).isFalse();
        assertThat(named(all, "Consent Updated")).hasSize(1);
        assertThat(all).extracting(TouchpointEvent::getSourceId).containsOnly("cx-activation");
    }
}
