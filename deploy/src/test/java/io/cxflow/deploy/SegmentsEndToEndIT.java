package io.cxflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.CollectorService;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments defined through the analytics API at runtime, fed by the HTTP collector on the real broker:
 * ENTERED on the add, on the segment's own topic too, EXITED by time alone a few seconds later, and
 * EXITED on the order for a second shopper; sizes and members follow.
 */
@CxIntegrationTest
class SegmentsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** A short window so that time alone changes the answer within the test. */
    private static final String RECENT_ADDERS =
            "count(\"Product Added\", duration(\"4s\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")";

    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private CollectorService collector;
    private AnalyticsService analytics;

    @AfterEach
    void stop() {
        if (analytics != null) {
            analytics.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void shouldEnterOnTheEventAndExitWithTimeOrOnTheOrderForASegmentDefinedAtRuntime(
            TestPlatform platform, @TempDir Path stateDir) throws Exception {
        platform.createTopics();
        PlatformContext context = platform.context();
        ConfigSource config = ConfigSource.of(Map.of(
                "cx.profile", "local",
                "admin.token", "dev-admin",
                "collector.port", "0",
                "analytics.port", "0",
                "analytics.segments", "",
                "analytics.application-id", platform.uniqueId("analytics"),
                "analytics.state-dir", stateDir.toString()));
        collector = CollectorService.start(CollectorConfig.from(config), context);
        analytics = AnalyticsService.start(AnalyticsConfig.from(config), context);
        LocalStack.awaitReady(List.of(collector.baseUrl(), analytics.baseUrl()), WAIT);

        // a bad condition is refused with its position
        HttpResponse<String> bad = putSegment("recent-adders", "count(\"Product Added\") > 0", true);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_condition");

        HttpResponse<String> created = putSegment("recent-adders", RECENT_ADDERS, true);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        Thread.sleep(1500); // definitions apply within a second

        post(
                "dev-web",
                "{\"userId\": \"u-ann\", \"event\": \"Product Added\", \"properties\": {\"product_id\": \"p-1\"}}");
        post(
                "dev-web",
                "{\"userId\": \"u-bob\", \"event\": \"Product Added\", \"properties\": {\"product_id\": \"p-2\"}}");
        post("dev-pos", "{\"userId\": \"u-bob\", \"event\": \"Order Completed\", \"properties\": {\"revenue\": 10}}");

        String ann = CustomerIds.derive("userId:u-ann");
        String bob = CustomerIds.derive("userId:u-bob");
        List<ConsumerRecord<String, SegmentMembershipChanged>> changes = platform.readUntil(
                context.topics().segmentMembership(),
                records -> records.stream()
                                .filter(r -> r.key().equals(ann))
                                .anyMatch(r -> r.value().getChange() == MembershipChange.EXITED)
                        && records.stream()
                                .filter(r -> r.key().equals(bob))
                                .anyMatch(r -> r.value().getChange() == MembershipChange.EXITED),
                WAIT);
        assertThat(changes)
                .filteredOn(r -> r.key().equals(ann))
                .extracting(r -> r.value().getChange())
                .containsExactly(MembershipChange.ENTERED, MembershipChange.EXITED);
        assertThat(changes)
                .filteredOn(r -> r.key().equals(ann) && r.value().getChange() == MembershipChange.EXITED)
                .singleElement()
                .satisfies(r -> assertThat(r.value().getReason()).startsWith("time"));
        assertThat(changes)
                .filteredOn(r -> r.key().equals(bob))
                .extracting(r -> r.value().getChange())
                .containsExactly(MembershipChange.ENTERED, MembershipChange.EXITED);

        // the segment's own topic carries the same changes
        List<ConsumerRecord<String, SegmentMembershipChanged>> own =
                platform.readAtLeast(context.topics().segment("recent-adders"), 4, WAIT);
        assertThat(own).extracting(ConsumerRecord::key).containsOnly(ann, bob);

        // and the live size is back to zero
        JsonNode listed = json.readTree(get("/v1/segments").body());
        JsonNode segment = null;
        for (JsonNode node : listed.isArray() ? listed : listed.path("segments")) {
            if (node.path("id").asText().equals("recent-adders")) {
                segment = node;
            }
        }
        assertThat(segment).as(listed.toString()).isNotNull();
        assertThat(segment.path("size").asLong()).isZero();
    }

    private HttpResponse<String> putSegment(String id, String condition, boolean topic) throws Exception {
        String body = json.writeValueAsString(Map.of("name", id, "condition", condition, "topic", topic));
        return send(HttpRequest.newBuilder(URI.create(analytics.baseUrl() + "/v1/segments/" + id))
                .header("Authorization", "Bearer dev-admin")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(analytics.baseUrl() + path))
                .header("Authorization", "Bearer dev-admin"));
    }

    private void post(String writeKey, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(collector.baseUrl() + "/v1/track"))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
