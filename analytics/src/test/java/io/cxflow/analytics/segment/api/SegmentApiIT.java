package io.cxflow.analytics.segment.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segments API of a running analytics service on the embedded broker and registry. */
@CxIntegrationTest
class SegmentApiIT {

    private static final String TOKEN = "it-admin-token";
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String base;

    @Test
    void shouldRefuseBadRequestsAndStoreVersionedDefinitionsOnTheTopic(TestPlatform platform, @TempDir Path state)
            throws Exception {
        PlatformContext context = platform.createTopics().context(TOKEN);
        try (AnalyticsService analytics = AnalyticsService.start(config(platform, state), context)) {
            base = analytics.baseUrl();
            awaitReady();

            // no token: 401 with a challenge; another token: 403
            HttpResponse<String> anonymous = send("GET", "/v1/segments", null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cxflow\"");
            assertThat(error(anonymous)).isEqualTo("unauthorized");
            HttpResponse<String> wrong = send("PUT", "/v1/segments/buyers", "{\"condition\":\"true\"}", "not-it");
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(error(wrong)).isEqualTo("forbidden");
            // the routes instances call on each other return the same data and need the token too
            assertThat(send("GET", "/internal/v1/segments/sizes", null, null).statusCode())
                    .isEqualTo(401);
            assertThat(send("GET", "/v1/segments/engaged/members", null, null).statusCode())
                    .isEqualTo(401);

            // a condition that does not type-check: 400 pointing at the unknown field, nothing written
            HttpResponse<String> invalid = send(
                    "PUT",
                    "/v1/segments/buyers",
                    "{\"name\":\"Buyers\",\"condition\":\"profile.orders.count >= 1 &&\\n profile.nosuch > 2\"}");
            assertThat(invalid.statusCode()).isEqualTo(400);
            JsonNode problem = Json.mapper().readTree(invalid.body());
            assertThat(problem.path("error").asText()).isEqualTo("invalid_condition");
            assertThat(problem.path("line").asInt()).isEqualTo(2);
            assertThat(problem.path("column").asInt()).isEqualTo(9);
            assertThat(problem.path("message").asText()).contains("nosuch");
            assertThat(send("GET", "/v1/segments/buyers", null).statusCode()).isEqualTo(404);

            // an id that cannot name a topic, a configured segment, an unknown field: refused
            assertThat(error(send("PUT", "/v1/segments/Big_Buyers", "{\"condition\":\"true\"}")))
                    .isEqualTo("invalid_id");
            HttpResponse<String> configured = send("PUT", "/v1/segments/engaged", "{\"condition\":\"true\"}");
            assertThat(configured.statusCode()).isEqualTo(409);
            assertThat(error(configured)).isEqualTo("segment_configured");
            assertThat(send("DELETE", "/v1/segments/engaged", null).statusCode())
                    .isEqualTo(409);
            HttpResponse<String> unknownField =
                    send("PUT", "/v1/segments/buyers", "{\"condition\":\"true\",\"colour\":\"red\"}");
            assertThat(unknownField.statusCode()).isEqualTo(400);
            assertThat(Json.mapper()
                            .readTree(unknownField.body())
                            .path("message")
                            .asText())
                    .contains("colour");

            // a valid definition: 201, on the topic with version 1, its topic created, readable by GET
            String body = "{\"name\":\"Buyers\",\"description\":\"bought once\",\"condition\":"
                    + "\"profile.orders.count >= 1\",\"topic\":true,\"tags\":[\"sales\",\"eu\"]}";
            HttpResponse<String> created = send("PUT", "/v1/segments/buyers", body);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Location")).hasValue("/v1/segments/buyers");
            JsonNode stored = Json.mapper().readTree(created.body());
            assertThat(stored.path("version").asLong()).isEqualTo(1);
            assertThat(stored.path("source").asText()).isEqualTo("api");
            assertThat(stored.path("tags").toString()).isEqualTo("[\"sales\",\"eu\"]");
            assertThat(platform.admin()
                            .listTopics()
                            .names()
                            .get()
                            .contains(context.topics().segment("buyers").name()))
                    .isTrue();
            JsonNode read = Json.mapper()
                    .readTree(send("GET", "/v1/segments/buyers", null).body());
            assertThat(read).isEqualTo(stored);

            // the same body again writes nothing; a changed one writes version 2
            HttpResponse<String> same = send("PUT", "/v1/segments/buyers", body);
            assertThat(same.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(same.body()).path("version").asLong())
                    .isEqualTo(1);
            HttpResponse<String> changed = send(
                    "PUT",
                    "/v1/segments/buyers",
                    body.replace("profile.orders.count >= 1", "profile.orders.count >= 2"));
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(changed.body()).path("version").asLong())
                    .isEqualTo(2);

            List<ConsumerRecord<String, SegmentDefinition>> written =
                    platform.readAll(context.topics().segmentDefinitions(), DEADLINE);
            assertThat(written)
                    .extracting(r -> r.key(), r -> r.value().getVersion(), r -> r.value()
                            .getCondition())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("buyers", 1L, "profile.orders.count >= 1"),
                            org.assertj.core.groups.Tuple.tuple("buyers", 2L, "profile.orders.count >= 2"));
            assertThat(written.getLast().value().getTags()).containsExactly("sales", "eu");
            assertThat(written.getLast().value().getDescription()).isEqualTo("bought once");

            // the list shows the configured segment and the defined one
            JsonNode list =
                    Json.mapper().readTree(send("GET", "/v1/segments", null).body());
            assertThat(StreamSupport.stream(list.spliterator(), false)
                            .map(s -> s.path("id").asText() + "/"
                                    + s.path("source").asText() + "/"
                                    + s.path("size").asLong()))
                    .containsExactly("buyers/api/0", "engaged/config/0");

            // DELETE writes a tombstone; the segment is gone; a second DELETE is 404
            assertThat(send("DELETE", "/v1/segments/buyers", null).statusCode()).isEqualTo(204);
            assertThat(send("GET", "/v1/segments/buyers", null).statusCode()).isEqualTo(404);
            assertThat(send("DELETE", "/v1/segments/buyers", null).statusCode()).isEqualTo(404);
            List<ConsumerRecord<String, SegmentDefinition>> afterDelete =
                    platform.readAll(context.topics().segmentDefinitions(), DEADLINE);
            assertThat(afterDelete).hasSize(3);
            assertThat(afterDelete.getLast().key()).isEqualTo("buyers");
            assertThat(afterDelete.getLast().value()).isNull();
        }
    }

    @Test
    void shouldCountPageAndPreviewMembersOfTheLiveProfiles(TestPlatform platform, @TempDir Path state)
            throws Exception {
        PlatformContext context = platform.createTopics().context(TOKEN);
        try (AnalyticsService analytics = AnalyticsService.start(config(platform, state), context)) {
            base = analytics.baseUrl();
            awaitReady();

            // Given three customers with 1, 2 and 3 orders, and a segment of those with at least 2
            platform.produce(
                    context.topics().events(),
                    order("u-1", 1),
                    order("u-2", 1),
                    order("u-2", 2),
                    order("u-3", 1),
                    order("u-3", 2),
                    order("u-3", 3));
            awaitJson("/v1/profiles?userId=u-3", json -> json.path("eventCount").asLong() == 3);
            awaitJson("/v1/profiles?userId=u-1", json -> json.path("eventCount").asLong() == 1);
            assertThat(send("PUT", "/v1/segments/repeat", "{\"condition\":\"profile.orders.count >= 2\"}")
                            .statusCode())
                    .isEqualTo(201);
            List<String> repeat = List.of(CustomerIds.derive("userId:u-2"), CustomerIds.derive("userId:u-3")).stream()
                    .sorted()
                    .toList();

            // Then its size is summed from the task stores, and its members come in pages
            JsonNode list = awaitJson("/v1/segments", json -> sizeOf(json, "repeat") == 2);
            assertThat(sizeOf(list, "engaged")).isEqualTo(1);
            JsonNode first = Json.mapper()
                    .readTree(send("GET", "/v1/segments/repeat/members?limit=1", null)
                            .body());
            assertThat(first.path("members").toString()).isEqualTo("[\"" + repeat.get(0) + "\"]");
            assertThat(first.path("nextCursor").asText()).isEqualTo(repeat.get(0));
            JsonNode second = Json.mapper()
                    .readTree(send("GET", "/v1/segments/repeat/members?limit=1&cursor=" + repeat.get(0), null)
                            .body());
            assertThat(second.path("members").toString()).isEqualTo("[\"" + repeat.get(1) + "\"]");
            assertThat(second.path("nextCursor").isNull()).isTrue();
            assertThat(send("GET", "/v1/segments/nobody/members", null).statusCode())
                    .isEqualTo(404);

            // and a preview counts the current profiles without saving anything
            HttpResponse<String> preview =
                    send("POST", "/v1/segments/big:preview", "{\"condition\":\"profile.orders.count >= 1\"}");
            assertThat(preview.statusCode()).isEqualTo(200);
            JsonNode counted = Json.mapper().readTree(preview.body());
            assertThat(counted.path("size").asLong()).isEqualTo(3);
            assertThat(counted.path("scanned").asLong()).isEqualTo(3);
            assertThat(counted.path("partial").asBoolean()).isFalse();
            assertThat(counted.path("sample")).hasSize(3);
            JsonNode one = Json.mapper()
                    .readTree(send("POST", "/v1/segments/big/preview", "{\"condition\":\"profile.orders.count >= 3\"}")
                            .body());
            assertThat(one.path("size").asLong()).isEqualTo(1);
            assertThat(one.path("sample").toString()).isEqualTo("[\"" + CustomerIds.derive("userId:u-3") + "\"]");
            HttpResponse<String> badPreview =
                    send("POST", "/v1/segments/big:preview", "{\"condition\":\"profile.orders.count >=\"}");
            assertThat(badPreview.statusCode()).isEqualTo(400);
            assertThat(error(badPreview)).isEqualTo("invalid_condition");
            assertThat(send("GET", "/v1/segments/big", null).statusCode()).isEqualTo(404);
        }
    }

    private static AnalyticsConfig config(TestPlatform platform, Path state) {
        return AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"))
                .withStateDir(state);
    }

    private static KeyValue<TouchpointEvent> order(String userId, int minute) {
        TouchpointEvent event = TestEvents.track(userId, null, "Order Completed", T0.plusSeconds(60L * minute))
                .setProperties("{\"revenue\":10,\"currency\":\"EUR\"}")
                .build();
        return KeyValue.of(userId, event);
    }

    private static long sizeOf(JsonNode list, String id) {
        for (JsonNode segment : list) {
            if (segment.path("id").asText().equals(id)) {
                return segment.path("size").asLong();
            }
        }
        return -1;
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (send("GET", "/health/ready", null).statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("analytics was not ready within " + DEADLINE);
            }
            Thread.sleep(100);
        }
    }

    private JsonNode awaitJson(String path, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = send("GET", path, null);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode json = Json.mapper().readTree(response.body());
                if (done.test(json)) {
                    return json;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not answer as expected within " + DEADLINE + "; last: " + last);
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body()).path("error").asText();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, TOKEN);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
