package io.cxflow.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.EventType;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.CollectorMetrics;
import io.cxflow.collector.message.PayloadParser;
import io.cxflow.collector.publish.EventPublisher;
import io.cxflow.collector.source.Source;
import io.cxflow.collector.source.Sources;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request rules of the tracking API, with Kafka's {@link MockProducer} standing in for the broker: an
 * acknowledgement is what the producer's future says.
 */
class TrackingApiTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Source WEB = new Source("web", "wk-web", "web", List.of("https://shop.example"), 0, 0, true);
    private static final Source LIMITED = new Source("limited", "wk-limited", "server", List.of(), 1, 2, true);

    private final RegistrySerdes serdes = RegistrySerdes.inMemory();
    private final Topics topics = new Topics(serdes, "t.");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
    private MockProducer<String, byte[]> producer;
    private TrackingApi api;

    private void start(boolean autoAck) {
        producer = new MockProducer<>(autoAck, null, new StringSerializer(), new ByteArraySerializer());
        EventPublisher publisher =
                new EventPublisher(producer, topics.events(), topics.rejected(), 1024 * 1024, meters);
        api = new TrackingApi(
                new Sources(List.of(WEB, LIMITED)),
                new PayloadParser(new Json.Limits(64, 500 * 1024, 100, 500 * 1024, 1000)),
                publisher,
                new TrackingApi.Limits(32 * 1024, 500 * 1024, Duration.ofMillis(300), Duration.ofSeconds(7)),
                meters,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        acker.shutdownNow();
    }

    @Test
    void shouldAnswer200OnlyAfterTheBrokerAcknowledged() {
        start(false);
        acker.schedule(() -> producer.completeNext(), 50, TimeUnit.MILLISECONDS);

        TrackingApi.Response response =
                api.handle(Route.TRACK, request("wk-web", "{\"userId\":\"u\",\"event\":\"A\"}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).containsEntry("success", true);
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getEvent()).isEqualTo("A");
            assertThat(e.getReceivedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerDoesNotAcknowledgeInTime() {
        start(false);

        TrackingApi.Response response =
                api.handle(Route.TRACK, request("wk-web", "{\"userId\":\"u\",\"event\":\"A\"}"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "7");
        assertThat(response.body()).containsEntry("error", "unavailable");
    }

    @Test
    void shouldAnswer503WhenTheBrokerRefusesARecordOfTheBatch() {
        start(false);
        acker.schedule(
                () -> {
                    producer.completeNext();
                    producer.errorNext(new NotEnoughReplicasException("isr"));
                },
                50,
                TimeUnit.MILLISECONDS);
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"},"
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\"}]}";

        TrackingApi.Response response = api.handle(Route.BATCH, request("wk-web", body));

        assertThat(response.status()).isEqualTo(503);
    }

    @Test
    void shouldAnswer401AndSendNothingForAWrongHeaderEvenWithAValidBodyKey() {
        start(true);

        TrackingApi.Response response =
                api.handle(Route.TRACK, request("wrong", "{\"writeKey\":\"wk-web\",\"userId\":\"u\",\"event\":\"A\"}"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsKey("WWW-Authenticate");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAuthenticateWithTheBodyWriteKeyWhenThereIsNoHeader() {
        start(true);

        TrackingApi.Response single =
                api.handle(Route.IDENTIFY, request(null, "{\"writeKey\":\"wk-web\",\"userId\":\"u\"}"));
        TrackingApi.Response batch = api.handle(
                Route.BATCH,
                request(null, "{\"batch\":[{\"type\":\"page\",\"userId\":\"u\",\"writeKey\":\"wk-web\"}]}"));

        assertThat(single.status()).isEqualTo(200);
        assertThat(batch.status()).isEqualTo(200);
        assertThat(events()).extracting(TouchpointEvent::getType).containsExactly(EventType.IDENTIFY, EventType.PAGE);
    }

    @Test
    void shouldRefuseABatchElementCarryingAnotherSourcesKey() {
        start(true);
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"},"
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\",\"writeKey\":\"wk-limited\"}]}";

        TrackingApi.Response response = api.handle(Route.BATCH, request("wk-web", body));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).containsEntry("accepted", 1);
        assertThat(events()).extracting(TouchpointEvent::getEvent).containsExactly("A");
        assertThat(rejected()).singleElement().satisfies(r -> {
            assertThat(r.getCode()).isEqualTo("write_key_mismatch");
            assertThat(r.getBatchIndex()).isEqualTo(1);
        });
    }

    @Test
    void shouldWriteARefusedSingleMessageToTheRejectedTopicWithItsExactBytes() {
        start(true);
        String body = "{\"userId\":\"u\",  \"properties\":{}}";

        TrackingApi.Response response = api.handle(Route.TRACK, request("wk-web", body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).containsEntry("error", "missing_field").containsEntry("field", "event");
        assertThat(events()).isEmpty();
        assertThat(rejected()).singleElement().satisfies(r -> {
            assertThat(r.getSourceId()).isEqualTo("web");
            assertThat(r.getRejectedAt()).isEqualTo(NOW);
            assertThat(StandardCharsets.UTF_8.decode(r.getPayload()).toString()).isEqualTo(body);
            assertThat(r.getBatchIndex()).isNull();
        });
    }

    @Test
    void shouldAnswer400WhenEveryMessageOfABatchIsRefused() {
        start(true);

        TrackingApi.Response response =
                api.handle(Route.IMPORT, request("wk-web", "{\"batch\":[{\"type\":\"track\"},{\"type\":\"nope\"}]}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).containsEntry("error", "invalid_batch");
        assertThat((List<?>) response.body().get("rejected")).hasSize(2);
        assertThat(rejected()).hasSize(2);
    }

    @Test
    void shouldRateLimitBySourceCountingEachMessage() {
        start(true);
        String batch = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"},"
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\"}]}";

        TrackingApi.Response first = api.handle(Route.BATCH, request("wk-limited", batch));
        TrackingApi.Response second =
                api.handle(Route.TRACK, request("wk-limited", "{\"userId\":\"u\",\"event\":\"C\"}"));
        TrackingApi.Response otherSource =
                api.handle(Route.TRACK, request("wk-web", "{\"userId\":\"u\",\"event\":\"D\"}"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers()).containsEntry("Retry-After", "1");
        assertThat(otherSource.status()).isEqualTo(200);
        assertThat(meters.counter(
                                CollectorMetrics.EVENTS_REJECTED,
                                CollectorMetrics.TAG_SOURCE,
                                "limited",
                                CollectorMetrics.TAG_REASON,
                                "rate_limited")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void shouldRateLimitBrokenBodiesBeforeWritingThemToTheRejectedTopic() {
        start(true);

        List<Integer> statuses = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> api.handle(Route.TRACK, request("wk-limited", "{\"userId\": "))
                        .status())
                .toList();

        assertThat(statuses).containsExactly(400, 400, 429, 429);
        assertThat(rejected()).hasSize(2);
    }

    @Test
    void shouldRefuseARequestFromAnOriginTheSourceDoesNotAllow() {
        start(true);

        TrackingApi.Response allowed = api.handle(
                Route.TRACK, request("wk-web", "https://shop.example", "{\"userId\":\"u\",\"event\":\"A\"}"));
        TrackingApi.Response refused = api.handle(
                Route.TRACK, request("wk-limited", "https://shop.example", "{\"userId\":\"u\",\"event\":\"A\"}"));

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers()).containsEntry("Access-Control-Allow-Origin", "https://shop.example");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(events()).hasSize(1);
    }

    @Test
    void shouldCountAcceptedEventsBySourceAndType() {
        start(true);

        api.handle(Route.PAGE, request("wk-web", "{\"anonymousId\":\"a\"}"));

        assertThat(meters.counter(
                                CollectorMetrics.EVENTS_ACCEPTED,
                                CollectorMetrics.TAG_SOURCE,
                                "web",
                                CollectorMetrics.TAG_TYPE,
                                "page")
                        .count())
                .isEqualTo(1);
    }

    private static TrackingApi.Request request(String key, String body) {
        return request(key, null, body);
    }

    private static TrackingApi.Request request(String key, String origin, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new TrackingApi.Request(
                key == null ? null : BasicAuthTest.basic(key + ":"),
                origin,
                null,
                bytes.length,
                new ByteArrayInputStream(bytes),
                "192.0.2.1");
    }

    private List<TouchpointEvent> events() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(topics.events().name()))
                .map(r -> topics.events().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    private List<RejectedEvent> rejected() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(topics.rejected().name()))
                .map((ProducerRecord<String, byte[]> r) ->
                        topics.rejected().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }
}
