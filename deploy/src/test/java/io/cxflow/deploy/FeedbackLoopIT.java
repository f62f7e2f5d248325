package io.cxflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.CollectorService;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback closes the loop with the real analytics: a customer enters a segment, activation sends an
 * SMS, and the send and the provider's delivery receipt come back as events that the customer's
 * profile counts — the receipt once, although the provider sent it twice.
 */
@CxIntegrationTest
class FeedbackLoopIT {

    private static final String USER = "u-88";
    private static final String CUSTOMER = CustomerIds.derive("userId:" + USER);
    private static final String RECEIPT_SECRET = "receipt-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> smsKeys = new CopyOnWriteArrayList<>();
    private HttpServer provider;
    private CollectorService collector;
    private AnalyticsService analytics;
    private ActivationService activation;

    @AfterEach
    void stop() {
        if (activation != null) {
            activation.close();
        }
        if (analytics != null) {
            analytics.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (provider != null) {
            provider.stop(0);
        }
        http.close();
    }

    @Test
    void shouldCountTheSentSmsAndItsDeliveryOnceInTheProfile(TestPlatform platform, @TempDir Path stateDir)
            throws Exception {
        // Given the three services, an SMS provider on loopback and a workflow texting the engaged segment
        platform.createTopics();
        startProvider();
        PlatformContext context = platform.context();
        Map<String, String> settings = new HashMap<>();
        settings.put("cx.profile", "local");
        settings.put("admin.token", "dev-admin");
        settings.put("collector.port", "0");
        settings.put("analytics.port", "0");
        settings.put("activation.port", "0");
        settings.put("analytics.application-id", platform.uniqueId("analytics"));
        settings.put("analytics.state-dir", stateDir.toString());
        settings.put("activation.group.id", platform.uniqueId("activation"));
        settings.put("activation.quiet-hours", "off");
        settings.put(
                "activation.sms.url",
                "http://127.0.0.1:" + provider.getAddress().getPort() + "/sms");
        settings.put("activation.feedback.receipt-secret", RECEIPT_SECRET);
        ConfigSource config = ConfigSource.of(settings);
        collector = CollectorService.start(CollectorConfig.from(config), context);
        analytics = AnalyticsService.start(AnalyticsConfig.from(config), context);
        activation = ActivationService.start(ActivationConfig.from(config), context);
        LocalStack.awaitReady(List.of(collector.baseUrl(), analytics.baseUrl(), activation.baseUrl()), WAIT);
        HttpResponse<String> put = send(HttpRequest.newBuilder(
                        URI.create(activation.baseUrl() + "/v1/workflows/thanks"))
                .header("Authorization", "Bearer dev-admin")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"segment\": \"engaged\", \"on\": \"ENTERED\", \"steps\":"
                        + " [{\"id\": \"text\", \"send\": {\"channel\": \"sms\", \"text\": \"Thanks!\"}}]}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // When a customer with a phone and SMS consent becomes engaged (3 events)
        collect(
                "/v1/identify",
                "{\"userId\": \"" + USER + "\", \"traits\": {\"phone\": \"+393331234567\","
                        + " \"consent\": {\"sms\": true}}}");
        collect("/v1/track", "{\"userId\": \"" + USER + "\", \"event\": \"Product Viewed\"}");
        collect("/v1/track", "{\"userId\": \"" + USER + "\", \"event\": \"Product Added\"}");

        // Then the SMS goes out once and its send is counted in the profile (not as the customer's activity)
        JsonNode sent = awaitProfile(p -> p.path("events").path("SMS Sent").asLong() == 1);
        assertThat(smsKeys).containsExactly("thanks:text:" + CUSTOMER + ":1");
        assertThat(sent.path("customerId").asText()).isEqualTo(CUSTOMER);

        // When the provider reports the delivery twice, then the customer does something else
        String receipt = "{\"idempotencyKey\": \"thanks:text:" + CUSTOMER + ":1\", \"status\": \"delivered\"}";
        assertThat(postReceipt(receipt).statusCode()).isEqualTo(200);
        assertThat(postReceipt(receipt).statusCode()).isEqualTo(200);
        collect("/v1/track", "{\"userId\": \"" + USER + "\", \"event\": \"Marker\"}");

        // Then the profile counts the delivery once (same messageId), before the later event
        JsonNode profile = awaitProfile(p -> p.path("events").path("Marker").asLong() == 1);
        assertThat(profile.path("events").path("SMS Delivered").asLong()).isEqualTo(1);
        assertThat(profile.path("events").path("SMS Sent").asLong()).isEqualTo(1);
        assertThat(profile.path("eventCount").asLong()).isEqualTo(6);
        // what was done to the customer is no channel use of theirs: the profile's channels are its own
        long channelUses = 0;
        for (JsonNode channel : profile.path("channels")) {
            channelUses += channel.path("eventCount").asLong();
        }
        assertThat(channelUses)
                .as("the customer's 4 events, not the SMS sent or delivered")
                .isEqualTo(4);
    }

    private void startProvider() throws Exception {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        provider.createContext("/sms", exchange -> {
            exchange.getRequestBody().readAllBytes();
            smsKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        provider.start();
    }

    private void collect(String path, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString("dev-web:".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(collector.baseUrl() + path))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> postReceipt(String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(activation.baseUrl() + "/v1/feedback/sms"))
                .header("Content-Type", "application/json")
                .header(
                        RequestSigner.HEADER,
                        new RequestSigner(RECEIPT_SECRET).sign(body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode awaitProfile(Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    send(HttpRequest.newBuilder(URI.create(analytics.baseUrl() + "/v1/profiles?userId=" + USER)));
            if (r.statusCode() == 200) {
                last = json.readTree(r.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the profile of " + USER + " did not get there in " + WAIT + "; last: " + last);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
