package io.cxflow.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.avro.EventType;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.json.Json;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The tracking API on a real broker and schema registry. */
@CxIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorServiceIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WEB_KEY = "wk-web-" + UUID.randomUUID();
    private static final String POS_KEY = "wk-pos-" + UUID.randomUUID();
    private static final String SLOW_KEY = "wk-slow-" + UUID.randomUUID();

    private TestPlatform platform;
    private CollectorService collector;
    private TrackingClient client;

    @BeforeAll
    void start(TestPlatform testPlatform) {
        platform = testPlatform.createTopics();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("collector.sources.web.write-key", WEB_KEY);
        values.put("collector.sources.web.channel", "web");
        values.put("collector.sources.web.allowed-origins", "https://shop.example");
        values.put("collector.sources.pos.write-key", POS_KEY);
        values.put("collector.sources.pos.channel", "pos");
        values.put("collector.sources.slow.write-key", SLOW_KEY);
        values.put("collector.sources.slow.channel", "server");
        values.put("collector.sources.slow.rate-limit", "1");
        values.put("collector.sources.slow.burst", "2");
        values.put("collector.sources.old.write-key", "wk-revoked");
        values.put("collector.sources.old.channel", "web");
        values.put("collector.sources.old.enabled", "false");
        collector = TestCollectors.start(platform, values);
        client = new TrackingClient(collector.baseUrl());
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void shouldPublishEveryMessageTypeWithItsFieldsIntact() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String anon = "a-" + UUID.randomUUID();
        String context =
                "{\"ip\": \"203.0.113.7\", \"locale\": \"it-IT\", \"library\": {\"name\": \"test\", \"version\": \"1\"},"
                        + " \"os\": {\"name\": \"Linux\"}, \"channel\": \"email\"}";
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put(
                "/v1/track",
                "{\"userId\": \"" + user + "\", \"anonymousId\": \"" + anon + "\", \"messageId\": \"m-track-"
                        + user
                        + "\", \"event\": \"Order Completed\", \"properties\": {\"revenue\": 12.50, \"currency\": \"EUR\","
                        + " \"items\": [{\"sku\": \"x-1\", \"qty\": 2}]}, \"context\": " + context + ","
                        + " \"timestamp\": \"2026-11-20T09:00:00.000Z\", \"sentAt\": \"2026-11-20T09:00:04.000Z\"}");
        sent.put(
                "/v1/identify",
                "{\"userId\": \"" + user + "\", \"messageId\": \"m-identify-" + user + "\","
                        + " \"traits\": {\"email\": \"ann@example.com\", \"consent\": {\"email\": true}}}");
        sent.put(
                "/v1/p",
                "{\"userId\": \"" + user + "\", \"messageId\": \"m-page-" + user + "\", \"name\": \"Cart\","
                        + " \"category\": \"Shop\", \"properties\": {\"path\": \"/cart\"}}");
        sent.put(
                "/v1/screen",
                "{\"userId\": \"" + user + "\", \"messageId\": \"m-screen-" + user + "\", \"name\": \"Home\"}");
        sent.put(
                "/v1/g",
                "{\"userId\": \"" + user + "\", \"messageId\": \"m-group-" + user + "\", \"groupId\": \"acme\","
                        + " \"traits\": {\"plan\": \"gold\"}}");
        sent.put(
                "/v1/alias",
                "{\"userId\": \"" + user + "\", \"messageId\": \"m-alias-" + user + "\", \"previousId\": \"" + anon
                        + "\"}");
        Instant before = Instant.now();

        for (Map.Entry<String, String> e : sent.entrySet()) {
            HttpResponse<String> response = client.post(e.getKey(), POS_KEY, e.getValue());
            assertThat(response.statusCode())
                    .as(e.getKey() + " " + response.body())
                    .isEqualTo(200);
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"success\": true}"));
        }

        Map<EventType, TouchpointEvent> byType = new LinkedHashMap<>();
        for (ConsumerRecord<String, TouchpointEvent> r : readEvents(ofUser(user), 6)) {
            assertThat(r.key()).isEqualTo(user);
            byType.put(r.value().getType(), r.value());
        }
        assertThat(byType).containsOnlyKeys(EventType.values());

        TouchpointEvent track = byType.get(EventType.TRACK);
        assertThat(track.getMessageId()).isEqualTo("m-track-" + user);
        assertThat(track.getEvent()).isEqualTo("Order Completed");
        assertThat(track.getAnonymousId()).isEqualTo(anon);
        assertThat(track.getProperties())
                .isEqualTo("{\"revenue\":12.50,\"currency\":\"EUR\",\"items\":[{\"sku\":\"x-1\",\"qty\":2}]}");
        assertThat(track.getSourceId()).isEqualTo("pos");
        assertThat(track.getChannel()).isEqualTo("email");
        assertThat(track.getContext().getIp()).isEqualTo("203.0.113.7");
        assertThat(track.getContext().getLocale()).isEqualTo("it-IT");
        assertThat(track.getContext().getLibrary().getName()).isEqualTo("test");
        assertThat(JsonText.readObject(track.getContext().getExtra()))
                .isEqualTo(JSON.readTree("{\"os\": {\"name\": \"Linux\"}}"));
        assertThat(track.getOriginalTimestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(track.getSentAt()).isEqualTo(Instant.parse("2026-11-20T09:00:04Z"));
        assertThat(track.getReceivedAt()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(track.getTimestamp()).isEqualTo(track.getReceivedAt().minusSeconds(4));

        TouchpointEvent identify = byType.get(EventType.IDENTIFY);
        assertThat(JsonText.readObject(identify.getTraits()))
                .isEqualTo(JSON.readTree("{\"email\": \"ann@example.com\", \"consent\": {\"email\": true}}"));
        assertThat(identify.getChannel()).isEqualTo("pos");
        assertThat(identify.getContext().getIp()).isEqualTo("127.0.0.1");
        assertThat(identify.getTimestamp()).isEqualTo(identify.getReceivedAt());

        TouchpointEvent page = byType.get(EventType.PAGE);
        assertThat(page.getName()).isEqualTo("Cart");
        assertThat(page.getCategory()).isEqualTo("Shop");
        assertThat(page.getProperties()).isEqualTo("{\"path\":\"/cart\"}");
        assertThat(byType.get(EventType.SCREEN).getName()).isEqualTo("Home");
        assertThat(byType.get(EventType.GROUP).getGroupId()).isEqualTo("acme");
        assertThat(byType.get(EventType.GROUP).getTraits()).isEqualTo("{\"plan\":\"gold\"}");
        assertThat(byType.get(EventType.ALIAS).getPreviousId()).isEqualTo(anon);
    }

    @Test
    void shouldAnswer401AndPublishNothingWhenTheWriteKeyIsMissingUnknownOrRevoked() throws Exception {
        String intruder = "intruder-" + UUID.randomUUID();
        String body = "{\"userId\": \"" + intruder + "\", \"event\": \"Hack\"}";

        List<HttpResponse<String>> responses = List.of(
                client.post("/v1/track", null, body),
                client.post("/v1/track", "not-a-key", body),
                client.post("/v1/track", "wk-revoked", body),
                client.post(
                        "/v1/track",
                        null,
                        "{\"writeKey\": \"nope\", \"userId\": \"" + intruder + "\", \"event\": \"x\"}"),
                client.post(
                        "/v1/batch",
                        null,
                        "{\"batch\": [{\"type\": \"track\", \"userId\": \"" + intruder + "\", \"event\": \"x\"}]}"),
                client.post("/v1/track", null, "{\"userId\": \"" + intruder + "\", \"event\": "));

        for (HttpResponse<String> r : responses.subList(0, 5)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(responses.get(5).statusCode()).isEqualTo(400);
        // a marker sent afterwards with a valid key: once it is on the topic, nothing of the intruder is before it
        String marker = "marker-" + UUID.randomUUID();
        assertThat(client.post("/v1/track", POS_KEY, "{\"userId\": \"" + marker + "\", \"event\": \"M\"}")
                        .statusCode())
                .isEqualTo(200);
        List<ConsumerRecord<String, TouchpointEvent>> events = readEvents(ofUser(marker), 1);
        assertThat(platform.readAll(platform.topics().events(), WAIT))
                .noneMatch(r -> intruder.equals(r.value().getUserId()));
        assertThat(events).isNotEmpty();
        assertThat(platform.readAll(platform.topics().rejected(), WAIT))
                .noneMatch(r -> new String(bytes(r.value()), StandardCharsets.UTF_8).contains(intruder));
    }

    @Test
    void shouldAcceptTheValidMessagesOfABatchAndReportEachRejectedOne() throws Exception {
        String user = "b-" + UUID.randomUUID();
        String missingEvent = "{\"type\": \"track\", \"userId\": \"" + user + "\", \"properties\": {}}";
        String noIdentity = "{\"type\": \"identify\", \"traits\": {\"x\": 1}}";
        String body = "{\"batch\": ["
                + "{\"type\": \"track\", \"userId\": \"" + user + "\", \"event\": \"A\"},"
                + missingEvent + ","
                + "{\"type\": \"identify\", \"userId\": \"" + user + "\", \"traits\": {\"plan\": \"b\"}},"
                + noIdentity + ","
                + "{\"type\": \"page\", \"userId\": \"" + user + "\", \"name\": \"P\"}"
                + "], \"sentAt\": \"2026-11-20T10:00:00Z\", \"context\": {\"library\": {\"name\": \"batcher\"}}}";

        HttpResponse<String> response = client.post("/v1/batch", WEB_KEY, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected")).hasSize(2);
        assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(answer.get("rejected").get(0).get("error").asText()).isEqualTo("missing_field");
        assertThat(answer.get("rejected").get(0).get("field").asText()).isEqualTo("event");
        assertThat(answer.get("rejected").get(1).get("index").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected").get(1).get("field").asText()).isEqualTo("userId");

        List<ConsumerRecord<String, TouchpointEvent>> events = readEvents(ofUser(user), 3);
        assertThat(events)
                .extracting(r -> r.value().getType())
                .containsExactly(EventType.TRACK, EventType.IDENTIFY, EventType.PAGE);
        assertThat(events).allSatisfy(r -> {
            assertThat(r.value().getSourceId()).isEqualTo("web");
            assertThat(r.value().getContext().getLibrary().getName()).isEqualTo("batcher");
            assertThat(r.value().getSentAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        });

        List<ConsumerRecord<String, RejectedEvent>> rejected = platform.readUntil(
                platform.topics().rejected(),
                rs -> rs.stream()
                                .filter(r -> isFromBatch(r.value(), user, noIdentity))
                                .count()
                        == 2,
                WAIT);
        List<RejectedEvent> mine = rejected.stream()
                .map(ConsumerRecord::value)
                .filter(v -> isFromBatch(v, user, noIdentity))
                .toList();
        assertThat(mine).extracting(RejectedEvent::getBatchIndex).containsExactlyInAnyOrder(1, 3);
        RejectedEvent first =
                mine.stream().filter(v -> v.getBatchIndex() == 1).findFirst().orElseThrow();
        assertThat(first.getSourceId()).isEqualTo("web");
        assertThat(first.getStage()).isEqualTo("collector");
        assertThat(first.getCode()).isEqualTo("missing_field");
        assertThat(first.getField()).isEqualTo("event");
        assertThat(new String(bytes(first), StandardCharsets.UTF_8)).isEqualTo(missingEvent);
    }

    @Test
    void shouldAcceptGzipBodiesAndTheWriteKeyInTheBody() {
        String user = "g-" + UUID.randomUUID();
        String body = "{\"writeKey\": \"" + WEB_KEY + "\", \"batch\": [{\"type\": \"track\", \"userId\": \"" + user
                + "\", \"event\": \"Zipped\"}]}";

        HttpResponse<String> response = client.post(
                "/v1/b",
                null,
                TrackingClient.gzip(body),
                Map.of("Content-Encoding", "gzip", "Content-Type", "text/plain"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(readEvents(ofUser(user), 1).get(0).value().getEvent()).isEqualTo("Zipped");
    }

    @Test
    void shouldAnswer413ForBodiesOverTheLimits() throws Exception {
        String bigMessage =
                "{\"userId\": \"u\", \"event\": \"x\", \"properties\": {\"blob\": \"" + "x".repeat(33 * 1024) + "\"}}";
        StringBuilder bigBatch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < 40; i++) {
            bigBatch.append(i == 0 ? "" : ",")
                    .append("{\"type\": \"track\", \"userId\": \"u\", \"event\": \"x\", \"properties\": {\"b\": \"")
                    .append("y".repeat(14 * 1024))
                    .append("\"}}");
        }
        bigBatch.append("]}");

        HttpResponse<String> single = client.post("/v1/track", POS_KEY, bigMessage);
        HttpResponse<String> batch = client.post("/v1/batch", POS_KEY, bigBatch.toString());
        HttpResponse<String> zipped =
                client.post("/v1/track", POS_KEY, TrackingClient.gzip(bigMessage), Map.of("Content-Encoding", "gzip"));

        assertThat(single.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(single.body()).get("error").asText()).isEqualTo("payload_too_large");
        assertThat(batch.statusCode()).isEqualTo(413);
        assertThat(zipped.statusCode()).isEqualTo(413);
    }

    @Test
    void shouldRefuseMalformedDeepAndNonUtf8JsonWith400() throws Exception {
        String deep = "{\"userId\": \"u\", \"event\": \"x\", \"properties\": {\"a\": " + "[".repeat(100_000)
                + "]".repeat(100_000) + "}}";
        byte[] notUtf8 = {'{', '"', 'u', 's', 'e', 'r', 'I', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'};

        HttpResponse<String> nested = client.post("/v1/batch", POS_KEY, "{\"batch\": [" + deep + "]}");
        HttpResponse<String> malformed = client.post("/v1/track", POS_KEY, "{\"userId\": \"u\",");
        HttpResponse<String> invalidUtf8 = client.post("/v1/identify", POS_KEY, notUtf8, Map.of());

        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(nested.body()).get("error").asText()).isEqualTo("limit_exceeded");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").asText()).isEqualTo("malformed_json");
        assertThat(invalidUtf8.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalidUtf8.body()).get("error").asText()).isEqualTo("invalid_utf8");
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerCorsPreflightAndRequestsPerSourceOrigins() throws Exception {
        HttpResponse<String> allowed = client.options(
                "/v1/t",
                Map.of(
                        "Origin",
                        "https://shop.example",
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "content-type, authorization"));
        HttpResponse<String> refused = client.options(
                "/v1/t", Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        String user = "c-" + UUID.randomUUID();
        String body = "{\"userId\": \"" + user + "\", \"event\": \"x\"}";
        HttpResponse<String> webFromShop = client.post(
                "/v1/t", WEB_KEY, body.getBytes(StandardCharsets.UTF_8), Map.of("Origin", "https://shop.example"));
        HttpResponse<String> posFromShop = client.post(
                "/v1/t", POS_KEY, body.getBytes(StandardCharsets.UTF_8), Map.of("Origin", "https://shop.example"));

        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://shop.example");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
                .contains("POST");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .containsIgnoringCase("authorization");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(webFromShop.statusCode()).isEqualTo(200);
        assertThat(webFromShop.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("https://shop.example");
        assertThat(posFromShop.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(posFromShop.body()).get("error").asText()).isEqualTo("origin_not_allowed");
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenASourceIsOverItsRateLimit() {
        String body = "{\"userId\": \"r-" + UUID.randomUUID() + "\", \"event\": \"x\"}";
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = client.post("/v1/track", SLOW_KEY, body);
            if (r.statusCode() == 429) {
                limited++;
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            }
        }

        assertThat(limited).isGreaterThanOrEqualTo(1);
        assertThat(retryAfter).isNotNull();
        assertThat(Integer.parseInt(retryAfter)).isPositive();
    }

    @Test
    void shouldExposeAcceptedAndRejectedCountsBySourceAndReason() {
        client.post("/v1/track", POS_KEY, "{\"userId\": \"m-" + UUID.randomUUID() + "\", \"event\": \"x\"}");
        client.post("/v1/track", POS_KEY, "{\"userId\": \"m\"}");

        String metrics = client.get("/metrics").body();

        assertThat(metrics)
                .containsPattern("cx_collector_events_accepted_total\\{[^}]*source=\"pos\"[^}]*type=\"track\"");
        assertThat(metrics)
                .containsPattern(
                        "cx_collector_events_rejected_total\\{[^}]*reason=\"missing_field\"[^}]*source=\"pos\"");
        assertThat(metrics).contains("cx_collector_request_latency_seconds_bucket");
        assertThat(metrics).contains("cx_collector_publish_latency_seconds_bucket");
        assertThat(metrics).contains("cx_collector_inflight_bytes");
    }

    private List<ConsumerRecord<String, TouchpointEvent>> readEvents(
            Predicate<ConsumerRecord<String, TouchpointEvent>> filter, int count) {
        return platform
                .readUntil(
                        platform.topics().events(),
                        rs -> rs.stream().filter(filter).count() >= count,
                        WAIT)
                .stream()
                .filter(filter)
                .toList();
    }

    private static Predicate<ConsumerRecord<String, TouchpointEvent>> ofUser(String userId) {
        return r -> userId.equals(r.value().getUserId());
    }

    private static boolean isFromBatch(RejectedEvent v, String user, String noIdentity) {
        String payload = new String(bytes(v), StandardCharsets.UTF_8);
        return payload.contains(user) || payload.equals(noIdentity);
    }

    private static byte[] bytes(RejectedEvent v) {
        byte[] out = new byte[v.getPayload().remaining()];
        v.getPayload().duplicate().get(out);
        return out;
    }
}
