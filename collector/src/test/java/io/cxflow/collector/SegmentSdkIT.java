package io.cxflow.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The official Segment Java SDK ({@code com.segment.analytics.java:analytics}) pointed at the collector. */
@CxIntegrationTest
class SegmentSdkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldDeliverEveryMessageTypeFromTheSegmentJavaSdkWithItsFieldsIntact(TestPlatform platform) throws Exception {
        platform.createTopics();
        String key = "wk-sdk-" + UUID.randomUUID();
        String user = "sdk-" + UUID.randomUUID();
        String anon = "anon-" + UUID.randomUUID();
        Date at = Date.from(Instant.parse("2026-11-20T09:30:00.123Z"));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Map<String, Throwable> failed = new ConcurrentHashMap<>();

        try (CollectorService collector = TestCollectors.start(
                platform,
                Map.of("collector.sources.backend.write-key", key, "collector.sources.backend.channel", "server"))) {
            Analytics analytics = Analytics.builder(key)
                    .endpoint(collector.baseUrl())
                    .flushQueueSize(10)
                    .flushInterval(1, TimeUnit.SECONDS)
                    .callback(new Callback() {
                        @Override
                        public void success(Message message) {
                            delivered.add(message.messageId());
                        }

                        @Override
                        public void failure(Message message, Throwable error) {
                            failed.put(message.messageId(), error);
                        }
                    })
                    .build();
            try {
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("revenue", 42.5);
                properties.put("currency", "EUR");
                properties.put("items", List.of(Map.of("sku", "x-1")));
                analytics.enqueue(TrackMessage.builder("Order Completed")
                        .messageId("sdk-track-" + user)
                        .userId(user)
                        .anonymousId(anon)
                        .timestamp(at)
                        .properties(properties)
                        .context(Map.of("channel", "pos", "locale", "it-IT")));
                analytics.enqueue(IdentifyMessage.builder()
                        .messageId("sdk-identify-" + user)
                        .userId(user)
                        .traits(Map.of("email", "ann@example.com")));
                analytics.enqueue(PageMessage.builder("Home")
                        .messageId("sdk-page-" + user)
                        .userId(user)
                        .category("Shop")
                        .properties(Map.of("path", "/")));
                analytics.enqueue(ScreenMessage.builder("Cart")
                        .messageId("sdk-screen-" + user)
                        .userId(user));
                analytics.enqueue(GroupMessage.builder("acme")
                        .messageId("sdk-group-" + user)
                        .userId(user)
                        .traits(Map.of("plan", "gold")));
                analytics.enqueue(AliasMessage.builder(anon)
                        .messageId("sdk-alias-" + user)
                        .userId(user));
                analytics.flush();

                awaitDelivery(delivered, failed, 6);
            } finally {
                analytics.shutdown();
            }
        }

        assertThat(failed).isEmpty();
        List<ConsumerRecord<String, TouchpointEvent>> records = platform
                .readUntil(
                        platform.topics().events(),
                        rs -> rs.stream()
                                        .filter(r -> user.equals(r.value().getUserId()))
                                        .count()
                                >= 6,
                        WAIT)
                .stream()
                .filter(r -> user.equals(r.value().getUserId()))
                .toList();
        Map<EventType, TouchpointEvent> byType = new LinkedHashMap<>();
        records.forEach(r -> byType.put(r.value().getType(), r.value()));
        assertThat(byType).containsOnlyKeys(EventType.values());
        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(user);
            assertThat(r.value().getSourceId()).isEqualTo("backend");
            assertThat(r.value().getContext().getLibrary().getName()).isEqualTo("analytics-java");
            assertThat(r.value().getMessageId()).startsWith("sdk-").endsWith(user);
        });

        TouchpointEvent track = byType.get(EventType.TRACK);
        assertThat(track.getEvent()).isEqualTo("Order Completed");
        assertThat(track.getAnonymousId()).isEqualTo(anon);
        assertThat(JsonText.readObject(track.getProperties()))
                .isEqualTo(JsonText.readObject(
                        "{\"revenue\": 42.5, \"currency\": \"EUR\", \"items\": [{\"sku\": \"x-1\"}]}"));
        assertThat(track.getChannel()).isEqualTo("pos");
        assertThat(track.getContext().getLocale()).isEqualTo("it-IT");
        assertThat(track.getOriginalTimestamp()).isEqualTo(at.toInstant());
        assertThat(byType.get(EventType.IDENTIFY).getChannel()).isEqualTo("server");
        assertThat(JsonText.readObject(byType.get(EventType.IDENTIFY).getTraits())
                        .get("email")
                        .asText())
                .isEqualTo("ann@example.com");
        assertThat(byType.get(EventType.PAGE).getName()).isEqualTo("Home");
        assertThat(byType.get(EventType.PAGE).getCategory()).isEqualTo("Shop");
        assertThat(byType.get(EventType.SCREEN).getName()).isEqualTo("Cart");
        assertThat(byType.get(EventType.GROUP).getGroupId()).isEqualTo("acme");
        assertThat(JsonText.readObject(byType.get(EventType.GROUP).getTraits())
                        .get("plan")
                        .asText())
                .isEqualTo("gold");
        assertThat(byType.get(EventType.ALIAS).getPreviousId()).isEqualTo(anon);
    }

    private static void awaitDelivery(Set<String> delivered, Map<String, Throwable> failed, int count)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (delivered.size() + failed.size() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the SDK reported " + delivered.size() + " deliveries and " + failed.size()
                        + " failures of " + count + " messages");
            }
            Thread.sleep(50);
        }
    }
}
