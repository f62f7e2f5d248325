package io.cxflow.activation.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.dispatch.DeferredScheduler;
import io.cxflow.activation.dispatch.KafkaResultSink;
import io.cxflow.activation.profile.ProfileClient;
import io.cxflow.activation.testing.Fixtures;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event-trigger bridge on the test broker, resolving customers against a server answering the analytics contract. */
@CxIntegrationTest
class EventTriggerBridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PARTITIONS = Topics.SEGMENT_MEMBERSHIP.partitions();

    private ProfileServer analytics;
    private ProfileClient client;
    private KafkaProducer<String, SegmentMembershipChanged> triggers;
    private KafkaProducer<String, ActivationResult> results;
    private EventTriggerBridge bridge;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        if (triggers != null) {
            triggers.close();
        }
        if (results != null) {
            results.close();
        }
        if (client != null) {
            client.close();
        }
        if (analytics != null) {
            analytics.close();
        }
    }

    private static WorkflowCatalog catalog() {
        WorkflowDefinition thanks = Fixtures.eventWorkflow("thanks", "Order Completed", 3, "http://h/thanks");
        return WorkflowCatalog.of(List.of(
                thanks, Fixtures.webhookWorkflow("welcome", "high-value", TriggerKind.ENTERED, 1, "http://h/w")));
    }

    /** Starts the bridge in a new group {@code group}: it reads the events written from now on. */
    private Topic<String, SegmentMembershipChanged> startBridge(TestPlatform platform, String group, Duration resolve)
            throws Exception {
        String triggerTopic = platform.uniqueId("triggers");
        TriggerTopic.ensure(platform.admin(), triggerTopic, PARTITIONS, WAIT);
        Topic<String, SegmentMembershipChanged> membership = platform.topics().segmentMembership();
        Topic<String, TouchpointEvent> events = platform.topics().events();
        Topic<String, ActivationResult> activations = platform.topics().activations();
        KafkaSettings kafka = platform.context().kafka();
        triggers = new KafkaProducer<>(
                kafka.producer("triggers", Duration.ofSeconds(30), Map.of()),
                membership.keySerde().serializer(),
                membership.valueSerde().serializer());
        results = new KafkaProducer<>(
                kafka.producer("results", Duration.ofSeconds(30), Map.of()),
                activations.keySerde().serializer(),
                activations.valueSerde().serializer());
        client = new ProfileClient(URI.create(analytics.url()), Duration.ofSeconds(1), Json.mapper());
        bridge = new EventTriggerBridge(
                new KafkaConsumer<>(
                        kafka.consumer("bridge", group, Map.of()),
                        events.keySerde().deserializer(),
                        events.valueSerde().deserializer()),
                events.name(),
                triggers,
                triggerTopic,
                EventTriggerBridgeIT::catalog,
                new CustomerResolver(client, resolve),
                new KafkaResultSink(
                        results,
                        activations.name(),
                        platform.topics().activationsDlq().name()),
                new ActivationMetrics(meters),
                Clock.systemUTC(),
                Duration.ofHours(1),
                4,
                Duration.ofMillis(100));
        bridge.start();
        return new Topic<>(triggerTopic, Topics.SEGMENT_MEMBERSHIP, membership.keySerde(), membership.valueSerde());
    }

    @Test
    void shouldWriteEachMatchingEventKeyedByItsCustomerAndSkipTheUnresolved(TestPlatform platform) throws Exception {
        // Given analytics knows customer c-1 (userId u-c-1) but not u-ghost
        analytics = new ProfileServer()
                .serve(ProfileServer.document("c-1", Map.of("firstName", "Ann"), Map.of("sms", true)));
        Instant now = Instant.now();
        TouchpointEvent order = TestEvents.track("u-c-1", null, "Order Completed", now)
                .setMessageId("m-1")
                .setProperties("{\"orderId\":\"o-1042\",\"revenue\":49.9}")
                .build();
        String group = platform.uniqueId("bridge");
        platform.createTopics();
        platform.produce(
                platform.topics().events(),
                KeyValue.of(
                        "u-c-1",
                        TestEvents.track("u-c-1", null, "Order Completed", now)
                                .setMessageId("m-before")
                                .build()));
        TimeUnit.MILLISECONDS.sleep(5); // the order above is older than the bridge
        Topic<String, SegmentMembershipChanged> triggerTopic = startBridge(platform, group, Duration.ofSeconds(1));

        // When, after the bridge started, the order arrives twice (a redelivery), with events no workflow is triggered
        // by, an old
        // order and an order of someone analytics never knew
        platform.produce(
                platform.topics().events(),
                KeyValue.of("u-c-1", order),
                KeyValue.of("u-c-1", order),
                KeyValue.of(
                        "u-c-1",
                        TestEvents.track("u-c-1", null, "Product Viewed", now).build()),
                KeyValue.of("u-c-1", TestEvents.page("u-c-1", null, "home", now).build()),
                KeyValue.of(
                        "u-c-1",
                        TestEvents.track("u-c-1", null, "Order Completed", now.minus(Duration.ofDays(2)))
                                .build()),
                KeyValue.of(
                        "u-ghost",
                        TestEvents.track("u-ghost", null, "Order Completed", now)
                                .build()));

        // Then the order is on the trigger topic twice, keyed by the customer, on the customer's
        // membership partition, both with the occurrence number of (test-web, m-1)
        List<ConsumerRecord<String, SegmentMembershipChanged>> written = platform.readAtLeast(triggerTopic, 2, WAIT);
        assertThat(written).hasSize(2).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("c-1");
            assertThat(r.partition()).isEqualTo(DeferredScheduler.partitionOf("c-1", PARTITIONS));
            assertThat(r.value().getSegmentId()).isEqualTo("event:Order Completed");
            assertThat(r.value().getMembershipVersion()).isEqualTo(EventTrigger.occurrence("test-web", "m-1"));
            assertThat(r.value().getConsent()).containsEntry("sms", true);
            assertThat(EventTrigger.properties(r.value()))
                    .containsEntry("orderId", "o-1042")
                    .containsEntry("revenue", 49.9);
        });
        // and the unknown customer's order is skipped with the reason, keyed by its routing id
        List<ConsumerRecord<String, ActivationResult>> skipped =
                platform.readAtLeast(platform.topics().activations(), 1, WAIT);
        assertThat(skipped).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("u-ghost");
            assertThat(r.value().getStatus()).isEqualTo(ActivationStatus.SKIPPED);
            assertThat(r.value().getWorkflowId()).isEqualTo("thanks");
            assertThat(r.value().getWorkflowVersion()).isEqualTo(3);
            assertThat(r.value().getTrigger()).isEqualTo("event Order Completed");
            assertThat(r.value().getReason())
                    .isEqualTo("customer not resolved: analytics has no profile for the event's userId after 1 s");
        });
        // and everything read since the start is committed, nothing more is written (not the order
        // from before the bridge existed either)
        awaitCommitted(platform, group, 7);
        assertThat(platform.readAll(triggerTopic, WAIT)).hasSize(2);
        assertThat(counter("triggered")).isEqualTo(2);
        assertThat(counter("unresolved")).isEqualTo(1);
        assertThat(counter("too-old")).isEqualTo(1);
    }

    @Test
    void shouldReadTheEventAgainWhileAnalyticsCannotAnswer(TestPlatform platform) throws Exception {
        // Given analytics answers 503 for longer than one resolve timeout
        analytics = new ProfileServer()
                .serve(ProfileServer.document("c-2", Map.of(), Map.of()))
                .failing(503, 503, 503, 503, 503, 503, 503, 503, 503, 503);
        String group = platform.uniqueId("bridge");
        platform.createTopics();
        Topic<String, SegmentMembershipChanged> triggerTopic = startBridge(platform, group, Duration.ofMillis(500));

        // When an order arrives
        platform.produce(
                platform.topics().events(),
                KeyValue.of(
                        "u-c-2",
                        TestEvents.track("u-c-2", null, "Order Completed", Instant.now())
                                .build()));

        // Then it is triggered once analytics answers, never skipped
        assertThat(platform.readAtLeast(triggerTopic, 1, WAIT)).singleElement().satisfies(r -> assertThat(r.key())
                .isEqualTo("c-2"));
        awaitCommitted(platform, group, 1);
        assertThat(counter("retried")).isGreaterThanOrEqualTo(1);
        assertThat(counter("unresolved")).isZero();
        assertThat(platform.readAll(platform.topics().activations(), WAIT)).isEmpty();
        assertThat(platform.readAll(triggerTopic, WAIT)).hasSize(1);
    }

    private double counter(String outcome) {
        var counter = meters.find(ActivationMetrics.EVENT_TRIGGERS)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until the bridge's group committed {@code events} records of cx.events.v1 in total. */
    private static void awaitCommitted(TestPlatform platform, String group, long events) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long committed = 0;
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> offsets = platform.admin()
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            committed = offsets.values().stream()
                    .filter(o -> o != null)
                    .collect(Collectors.summingLong(OffsetAndMetadata::offset));
            if (committed >= events) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("group " + group + " committed " + committed + " of " + events + " events");
    }
}
