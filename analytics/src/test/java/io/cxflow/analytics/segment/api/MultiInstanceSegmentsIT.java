package io.cxflow.analytics.segment.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.kafka.KafkaSettings;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one analytics application share the six partitions: sizes, member pages and previews
 * must count the customers of both, whichever instance is asked.
 */
@CxIntegrationTest
class MultiInstanceSegmentsIT {

    private static final String TOKEN = "multi-it-token";
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final int CUSTOMERS = 24;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldCountMembersOfBothInstancesOnEither(TestPlatform platform, @TempDir Path stateA, @TempDir Path stateB)
            throws Exception {
        // Given two instances, and customers with 1, 2 or 3 orders
        platform.createTopics();
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"));
        try (AnalyticsService a = AnalyticsService.start(config.withStateDir(stateA), context(platform, "a"));
                AnalyticsService b = AnalyticsService.start(config.withStateDir(stateB), context(platform, "b"))) {
            List<String> instances = List.of(a.baseUrl(), b.baseUrl());
            for (String instance : instances) {
                await(instance, "/health/ready", json -> true);
            }
            List<KeyValue<TouchpointEvent>> events = new ArrayList<>();
            List<String> repeatBuyers = new ArrayList<>();
            for (int n = 0; n < CUSTOMERS; n++) {
                int orders = n % 3 + 1;
                for (int i = 0; i < orders; i++) {
                    events.add(KeyValue.of(
                            "u-" + n,
                            TestEvents.track("u-" + n, null, "Order Completed", T0.plusSeconds(60L * i))
                                    .build()));
                }
                if (orders >= 2) {
                    repeatBuyers.add(CustomerIds.derive("userId:u-" + n));
                }
            }
            repeatBuyers.sort(null);
            platform.produce(platform.topics().events(), events);
            for (int n = 0; n < CUSTOMERS; n++) {
                int orders = n % 3 + 1;
                await(
                        a.baseUrl(),
                        "/v1/profiles?userId=u-" + n,
                        json -> json.path("eventCount").asLong() == orders);
            }

            // When a segment is defined through one instance
            HttpResponse<String> put =
                    send(a.baseUrl(), "PUT", "/v1/segments/repeat", "{\"condition\":\"profile.orders.count >= 2\"}");
            assertThat(put.statusCode()).isEqualTo(201);

            // Then both instances list it with the size over all partitions
            for (String instance : instances) {
                await(instance, "/v1/segments", json -> sizeOf(json, "repeat") == repeatBuyers.size());
            }

            // and each instance holds only part of it: the sum needed both
            Set<Integer> all = new HashSet<>();
            for (String instance : instances) {
                JsonNode part = json(send(instance, "GET", "/internal/v1/segments/sizes", null));
                Set<Integer> partitions = Answers.partitions(part);
                assertThat(partitions).as(instance + " hosts partitions").isNotEmpty();
                assertThat(part.path("sizes").path("repeat").asLong())
                        .as(instance + " holds part of the members")
                        .isLessThan(repeatBuyers.size());
                for (int partition : partitions) {
                    assertThat(all.add(partition))
                            .as("partition " + partition + " once")
                            .isTrue();
                }
            }
            assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);

            // and the members, page by page, and a preview are the same on both instances
            for (String instance : instances) {
                List<String> members = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    JsonNode page = json(send(
                            instance,
                            "GET",
                            "/v1/segments/repeat/members?limit=5" + (cursor == null ? "" : "&cursor=" + cursor),
                            null));
                    page.path("members").forEach(member -> members.add(member.asText()));
                    cursor = page.path("nextCursor").isTextual()
                            ? page.path("nextCursor").asText()
                            : null;
                    pages++;
                } while (cursor != null && pages < 20);
                assertThat(members).as(instance + " members").containsExactlyElementsOf(repeatBuyers);

                JsonNode preview = json(send(
                        instance,
                        "POST",
                        "/v1/segments/repeat:preview",
                        "{\"condition\":\"profile.orders.count >= 2\"}"));
                assertThat(preview.path("partial").asBoolean())
                        .as(preview.toString())
                        .isFalse();
                assertThat(preview.path("scanned").asLong()).isEqualTo(CUSTOMERS);
                assertThat(preview.path("size").asLong()).isEqualTo(repeatBuyers.size());
                assertThat(preview.path("sample").toString())
                        .isEqualTo(Json.mapper()
                                .valueToTree(repeatBuyers.subList(0, 10))
                                .toString());
            }
        }
    }

    private static long sizeOf(JsonNode list, String id) {
        for (JsonNode segment : list) {
            if (segment.path("id").asText().equals(id)) {
                return segment.path("size").asLong();
            }
        }
        return -1;
    }

    private JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    /** Until the instance answers 200 with a body for which {@code done} holds (503s are retried). */
    private void await(String base, String path, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = send(base, "GET", path, null);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200 && done.test(Json.mapper().readTree(response.body()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(base + path + " did not answer as expected within " + DEADLINE + "; last: " + last);
    }

    private HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The test's cluster and topics, with a client id prefix of this instance's own. */
    private static PlatformContext context(TestPlatform platform, String instance) {
        PlatformContext shared = platform.context(TOKEN);
        KafkaSettings kafka = new KafkaSettings(
                platform.bootstrapServers(), platform.uniqueId("cx-" + instance), platform.registryUrl());
        return new PlatformContext(kafka, shared.serdes(), shared.topics(), shared.common());
    }
}
