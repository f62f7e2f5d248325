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
 * Activation next to a real analytics: the latest profile is read from the analytics query API at send
 * time, so templates, conditions and consent see what the membership snapshot does not carry.
 */
@CxIntegrationTest
class ActivationWithAnalyticsIT {

    private static final String CUSTOMER = CustomerIds.derive("userId:u-1");
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private HttpServer smsProvider;
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
        if (smsProvider != null) {
            smsProvider.stop(0);
        }
    }

    private void start(TestPlatform platform, Path stateDir) throws Exception {
        platform.createTopics();
        PlatformContext context = platform.context();
        smsProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        smsProvider.createContext("/sms", exchange -> {
            messages.add(json.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        smsProvider.start();
        ConfigSource config = ConfigSource.of(Map.of(
                "cx.profile", "local",
                "admin.token", "dev-admin",
                "collector.port", "0",
                "analytics.port", "0",
                "activation.port", "0",
                "analytics.application-id", platform.uniqueId("analytics"),
                "analytics.state-dir", stateDir.toString(),
                "activation.group.id", platform.uniqueId("activation"),
                "activation.quiet-hours", "off",
                "activation.sms.url",
                        "http://127.0.0.1:" + smsProvider.getAddress().getPort() + "/sms"));
        collector = CollectorService.start(CollectorConfig.from(config), context);
        analytics = AnalyticsService.start(AnalyticsConfig.from(config), context);
        activation = ActivationService.start(
                ActivationConfig.from(config.withOverrides(Map.of("activation.profiles.url", analytics.baseUrl()))),
                context);
        LocalStack.awaitReady(List.of(collector.baseUrl(), analytics.baseUrl(), activation.baseUrl()), WAIT);
    }

    @Test
    void shouldPersonaliseAndBranchOnTheLatestProfileAtSendTime(TestPlatform platform, @TempDir Path stateDir)
            throws Exception {
        // Given a workflow on the built-in 'engaged' segment (3 events) that branches on a trait
        start(platform, stateDir);
        putWorkflow("engaged-sms", """
                {"segment": "engaged", "on": "ENTERED", "steps": [
                  {"id": "tier", "if": {"condition": "has(profile.traits.tier) && profile.traits.tier == 'gold'",
                   "then": [{"id": "gold", "send": {"channel": "sms",
                     "text": "Hi {{#customer.traits.firstName}}{{customer.traits.firstName}}{{/customer.traits.firstName}}{{^customer.traits.firstName}}there{{/customer.traits.firstName}}, gold perks inside"}}],
                   "else": [{"id": "plain", "send": {"channel": "sms", "text": "Hi there"}}]}}]}
                """);

        // When a customer identifies with traits the membership snapshot does not carry, and acts twice
        post("/v1/identify", """
                {"userId": "u-1", "traits": {"firstName": "Ann", "tier": "gold", "phone": "+39 333 123 4567",
                 "consent": {"sms": true}}}
                """);
        post("/v1/track", "{\"userId\": \"u-1\", \"event\": \"Product Viewed\"}");
        post("/v1/track", "{\"userId\": \"u-1\", \"event\": \"Product Added\"}");

        // Then the gold branch ran, personalised from the profile analytics holds
        List<ConsumerRecord<String, ActivationResult>> results =
                platform.readUntil(platform.topics().activations(), r -> r.size() >= 2, WAIT);
        assertThat(results)
                .extracting(r -> r.value().getStepId() + ":" + r.value().getStatus())
                .containsExactlyInAnyOrder("gold:SENT", "plain:SKIPPED");
        assertThat(results).allSatisfy(r -> assertThat(r.key()).isEqualTo(CUSTOMER));
        assertThat(messages).singleElement().satisfies(sms -> {
            assertThat(sms.path("body").asText()).isEqualTo("Hi Ann, gold perks inside");
            assertThat(sms.path("to").asText()).isEqualTo("+393331234567");
        });
        assertThat(results)
                .filteredOn(r -> r.value().getStatus() == ActivationStatus.SKIPPED)
                .singleElement()
                .satisfies(r -> assertThat(r.value().getReason()).startsWith("branch not taken"));
    }

    @Test
    void shouldTriggerAWorkflowOnceForAnEventDeliveredTwice(TestPlatform platform, @TempDir Path stateDir)
            throws Exception {
        // Given a workflow triggered by an event rather than a segment
        start(platform, stateDir);
        putWorkflow("thanks", """
                {"event": "Order Completed", "steps": [{"id": "sms", "send": {"channel": "sms",
                  "text": "Thanks {{customer.traits.firstName}}, your {{event.name}} is on its way"}}]}
                """);
        post("/v1/identify", """
                {"userId": "u-1", "traits": {"firstName": "Bo", "phone": "+39 333 765 4321", "consent": {"sms": true}}}
                """);

        // When the customer orders
        post(
                "/v1/track",
                "{\"userId\": \"u-1\", \"event\": \"Order Completed\", \"messageId\": \"order-1\","
                        + " \"properties\": {\"revenue\": 20, \"currency\": \"EUR\"}}");

        // Then one SMS is sent to the customer analytics resolved the event to, personalised from the profile
        List<ConsumerRecord<String, ActivationResult>> sent = platform.readUntil(
                platform.topics().activations(),
                r -> r.stream().anyMatch(a -> a.value().getStatus() == ActivationStatus.SENT),
                WAIT);
        ActivationResult result = sent.getLast().value();
        assertThat(result.getCustomerId()).isEqualTo(CUSTOMER);
        assertThat(result.getTrigger()).isEqualTo("event Order Completed");
        assertThat(messages).singleElement().satisfies(sms -> {
            assertThat(sms.path("body").asText()).isEqualTo("Thanks Bo, your Order Completed is on its way");
            assertThat(sms.path("to").asText()).isEqualTo("+393337654321");
        });

        // When the same event is delivered again on cx.events.v1 (a producer retry, a replay)
        ConsumerRecord<String, TouchpointEvent> order = platform
                .readUntil(
                        platform.topics().events(),
                        r -> r.stream().anyMatch(e -> "order-1".equals(e.value().getMessageId())),
                        WAIT)
                .stream()
                .filter(e -> "order-1".equals(e.value().getMessageId()))
                .findFirst()
                .orElseThrow();
        platform.produce(platform.topics().events(), TestPlatform.KeyValue.of(order.key(), order.value()));

        // Then its decision is found on the ledger: skipped, no second SMS
        List<ConsumerRecord<String, ActivationResult>> all = platform.readUntil(
                platform.topics().activations(),
                r -> r.stream().anyMatch(a -> a.value().getStatus() == ActivationStatus.SKIPPED),
                WAIT);
        assertThat(all)
                .filteredOn(a -> a.value().getStatus() == ActivationStatus.SKIPPED)
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.value().getIdempotencyKey()).isEqualTo(result.getIdempotencyKey());
                    assertThat(a.value().getReason()).contains("already sent");
                });
        assertThat(messages).hasSize(1);
    }

    private void putWorkflow(String id, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(activation.baseUrl() + "/v1/workflows/" + id))
                        .header("Authorization", "Bearer dev-admin")
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void post(String path, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString("dev-web:".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(collector.baseUrl() + path))
                        .header("Authorization", "Basic " + auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
