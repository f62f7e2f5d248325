package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.io.IOException;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@CxIntegrationTest
class AnalyticsServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldServeTheProfileAndPublishEnteredWhenEventsArriveOnTheBroker(TestPlatform platform, @TempDir Path state)
            throws Exception {
        // Given a running analytics service on its own topics
        platform.createTopics();
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"))
                .withStateDir(state);
        PlatformContext context = TestContexts.of(platform);
        try (AnalyticsService analytics = AnalyticsService.start(config, context)) {
            awaitStatus(analytics.baseUrl() + "/health/ready", 200);

            // When three events of one customer and one event without any id arrive
            TouchpointEvent identify = TestEvents.identify(
                            "u-it", "a-it", "{\"email\":\" Ann@Example.com\",\"firstName\":\"Ann\"}", T0)
                    .build();
            TouchpointEvent page =
                    TestEvents.page("u-it", null, "Home", T0.plusSeconds(60)).build();
            TouchpointEvent order = TestEvents.track("u-it", null, "Order Completed", T0.plusSeconds(120))
                    .setProperties("{\"revenue\":19.90,\"currency\":\"EUR\"}")
                    .build();
            TouchpointEvent anonymous = TestEvents.track(null, null, "Lost", T0).build();
            platform.produce(
                    context.topics().events(),
                    KeyValue.of("u-it", identify),
                    KeyValue.of("u-it", page),
                    KeyValue.of("u-it", order),
                    KeyValue.of("nobody", anonymous));

            // Then the profile is served with the contract's aggregates (identities are those the identity
            // graph has confirmed, and the graph works on its own partition: wait for the email too)
            JsonNode profile = awaitJson(
                    analytics.baseUrl() + "/v1/profiles?userId=u-it",
                    json -> json.path("eventCount").asLong() == 3
                            && json.path("identities").path("email").size() == 1
                            && json.path("segments").size() == 1);
            String customer = CustomerIds.derive("userId:u-it");
            assertThat(profile.path("customerId").asText()).isEqualTo(customer);
            assertThat(profile.path("identities").path("email").get(0).asText()).isEqualTo("ann@example.com");
            assertThat(profile.path("identities").path("anonymousId").get(0).asText())
                    .isEqualTo("a-it");
            assertThat(profile.path("traits").path("firstName").asText()).isEqualTo("Ann");
            assertThat(profile.path("events").path("Page Viewed").asLong()).isEqualTo(1);
            assertThat(profile.path("orders").path("count").asLong()).isEqualTo(1);
            assertThat(profile.path("orders").path("revenue").path("EUR").decimalValue())
                    .isEqualByComparingTo("19.90");
            assertThat(profile.path("firstSeen").asText()).isEqualTo("2026-11-20T10:00:00Z");
            assertThat(profile.path("lastSeen").asText()).isEqualTo("2026-11-20T10:02:00Z");
            assertThat(profile.path("segments").get(0).asText()).isEqualTo("engaged");

            // and found by the other identifiers
            assertThat(get(analytics.baseUrl() + "/v1/profiles?email=ann@example.com")
                            .body())
                    .contains("\"customerId\":\"" + customer + "\"");
            assertThat(get(analytics.baseUrl() + "/v1/profiles?anonymousId=a-it")
                            .body())
                    .contains("\"customerId\":\"" + customer + "\"");
            HttpResponse<String> missing = get(analytics.baseUrl() + "/v1/profiles/nobody-here");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(Json.mapper().readTree(missing.body()).path("error").asText())
                    .isEqualTo("not_found");
            JsonNode segments = Json.mapper()
                    .readTree(get(analytics.baseUrl() + "/v1/profiles/" + customer + "/segments")
                            .body());
            assertThat(segments.path("segments").get(0).path("id").asText()).isEqualTo("engaged");
            assertThat(segments.path("segments").get(0).path("member").asBoolean())
                    .isTrue();

            // and ENTERED is on the membership topic once, the id-less event on the rejected topic
            List<ConsumerRecord<String, SegmentMembershipChanged>> changes =
                    platform.readUntil(context.topics().segmentMembership(), records -> !records.isEmpty(), DEADLINE);
            assertThat(changes).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(customer);
                assertThat(record.value().getChange()).isEqualTo(MembershipChange.ENTERED);
                assertThat(record.value().getSegmentId()).isEqualTo("engaged");
                assertThat(record.value().getMembershipVersion()).isEqualTo(1);
                assertThat(record.value().getEmail()).isEqualTo("ann@example.com");
                assertThat(record.value().getReason()).contains("Order Completed");
            });
            List<ConsumerRecord<String, RejectedEvent>> rejected =
                    platform.readUntil(context.topics().rejected(), records -> !records.isEmpty(), DEADLINE);
            assertThat(rejected).singleElement().satisfies(record -> {
                assertThat(record.value().getCode()).isEqualTo("missing_routing_id");
                assertThat(record.value().getOrigin().getTopic())
                        .isEqualTo(context.topics().events().name());
            });
            assertThat(get(analytics.baseUrl() + "/metrics").body()).contains("kafka_stream");
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String url, int status) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = get(url).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + DEADLINE + "; last " + last);
    }

    private JsonNode awaitJson(String url, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get(url);
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonNode json = Json.mapper().readTree(response.body());
                if (done.test(json)) {
                    return json;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer as expected within " + DEADLINE + "; last: " + last);
    }

    /** The platform context a deployment would hand the service, on the test's cluster and topics. */
    private static final class TestContexts {
        static PlatformContext of(TestPlatform platform) {
            CommonConfig common = new CommonConfig(
                    CommonConfig.Profile.LOCAL,
                    platform.bootstrapServers(),
                    platform.registryUrl(),
                    platform.topics().prefix(),
                    CommonConfig.DEV_ADMIN_TOKEN);
            KafkaSettings kafka =
                    new KafkaSettings(common.bootstrapServers(), platform.uniqueId("cx"), common.registryUrl());
            return new PlatformContext(kafka, platform.serdes(), platform.topics(), common);
        }
    }
}
