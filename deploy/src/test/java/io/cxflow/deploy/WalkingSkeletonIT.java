package io.cxflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thinnest real path through every stage: HTTP collector → cx.events.v1 → analytics profile and segment →
 * cx.segment-membership.v1 → activation workflow → exactly one webhook call, on the real broker and registry.
 */
@CxIntegrationTest
class WalkingSkeletonIT {

    /** The customer id cxflow derives for userId u-77 (identity resolution: derived from the userId). */
    private static final String CUSTOMER = CustomerIds.derive("userId:u-77");

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Received> webhooks = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private CollectorService collector;
    private AnalyticsService analytics;
    private ActivationService activation;

    record Received(String idempotencyKey, String body) {}

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
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void shouldTurnCollectedEventsIntoAProfileASegmentEntryAndExactlyOneWebhook(
            TestPlatform platform, @TempDir Path stateDir) throws Exception {
        // Given the three services on the real broker and registry, and a loopback webhook receiver
        platform.createTopics();
        PlatformContext context = platform.context();
        ConfigSource config = ConfigSource.of(Map.of(
                "cx.profile", "local",
                "admin.token", "dev-admin",
                "collector.port", "0",
                "analytics.port", "0",
                "activation.port", "0",
                "analytics.application-id", platform.uniqueId("analytics"),
                "analytics.state-dir", stateDir.toString(),
                "activation.group.id", platform.uniqueId("activation")));
        startReceiver();
        collector = CollectorService.start(CollectorConfig.from(config), context);
        analytics = AnalyticsService.start(AnalyticsConfig.from(config), context);
        activation = ActivationService.start(ActivationConfig.from(config), context);
        LocalStack.awaitReady(List.of(collector.baseUrl(), analytics.baseUrl(), activation.baseUrl()), WAIT);
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        HttpResponse<String> put = send(HttpRequest.newBuilder(
                        URI.create(activation.baseUrl() + "/v1/workflows/welcome-engaged"))
                .header("Authorization", "Bearer dev-admin")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"segment\": \"engaged\", \"on\": \"ENTERED\", \"steps\":"
                        + " [{\"send\": {\"channel\": \"webhook\", \"url\": \"" + hook + "\"}}]}")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        // When a customer browses anonymously, logs in and buys, through the HTTP API
        track(
                "dev-web",
                "{\"anonymousId\": \"a-77\", \"userId\": \"u-77\", \"event\": \"Product Viewed\","
                        + " \"properties\": {\"product_id\": \"sku-1\", \"price\": 129.90}}");
        track(
                "dev-mobile",
                "{\"userId\": \"u-77\", \"event\": \"Product Added\", \"properties\": {\"product_id\": \"sku-1\"}}");
        HttpResponse<String> third = post(
                "dev-pos",
                "/v1/track",
                "{\"userId\": \"u-77\", \"event\": \"Order Completed\","
                        + " \"properties\": {\"revenue\": 129.90, \"currency\": \"EUR\"}}");
        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);

        // Then the events are on cx.events.v1
        List<ConsumerRecord<String, TouchpointEvent>> events =
                platform.readAtLeast(platform.topics().events(), 3, WAIT);
        assertThat(events).extracting(ConsumerRecord::key).containsOnly("u-77");

        // and the profile shows them, across three channels
        JsonNode profile = awaitProfile("u-77", 3);
        assertThat(profile.path("eventCount").asLong()).isEqualTo(3);
        assertThat(profile.path("events").path("Order Completed").asLong()).isEqualTo(1);
        assertThat(profile.path("channels").has("web")).isTrue();
        assertThat(profile.path("channels").has("mobile")).isTrue();
        assertThat(profile.path("channels").has("pos")).isTrue();
        assertThat(profile.path("orders").path("count").asLong()).isEqualTo(1);

        // and exactly one ENTERED record for the engaged segment
        List<ConsumerRecord<String, SegmentMembershipChanged>> changes = platform.readUntil(
                platform.topics().segmentMembership(),
                r -> r.stream().anyMatch(c -> c.value().getChange() == MembershipChange.ENTERED),
                WAIT);
        assertThat(changes)
                .filteredOn(c -> c.value().getChange() == MembershipChange.ENTERED)
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.key()).isEqualTo(CUSTOMER);
                    assertThat(c.value().getSegmentId()).isEqualTo("engaged");
                });

        // and the workflow called the webhook, and recorded it as SENT
        List<ConsumerRecord<String, ActivationResult>> results = platform.readUntil(
                platform.topics().activations(),
                r -> r.stream().anyMatch(a -> a.value().getStatus() == ActivationStatus.SENT),
                WAIT);
        assertThat(results)
                .filteredOn(a -> a.value().getStatus() == ActivationStatus.SENT)
                .hasSize(1);

        // exactly once: a 4th event keeps the customer in the segment and causes no second call
        track("dev-email", "{\"userId\": \"u-77\", \"event\": \"Email Opened\"}");
        awaitProfile("u-77", 4);
        assertThat(webhooks).hasSize(1);
        Received call = webhooks.get(0);
        assertThat(call.idempotencyKey()).contains("welcome-engaged").contains(CUSTOMER);
        assertThat(json.readTree(call.body()).toString())
                .contains(CUSTOMER)
                .contains("u-77")
                .contains("engaged");
    }

    private void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            webhooks.add(new Received(
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    private void track(String writeKey, String body) throws Exception {
        HttpResponse<String> response = post(writeKey, "/v1/track", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("success").asBoolean()).isTrue();
    }

    private HttpResponse<String> post(String writeKey, String path, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(collector.baseUrl() + path))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode awaitProfile(String id, long eventCount) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    send(HttpRequest.newBuilder(URI.create(analytics.baseUrl() + "/v1/profiles?userId=" + id)));
            if (r.statusCode() == 200) {
                last = json.readTree(r.body());
                if (last.path("eventCount").asLong() >= eventCount) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("profile " + id + " did not reach eventCount " + eventCount + "; last: " + last);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
