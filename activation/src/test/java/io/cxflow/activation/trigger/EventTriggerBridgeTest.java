package io.cxflow.activation.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.testing.Fixtures;
import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.testkit.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class EventTriggerBridgeTest {

    private static final Instant AT = Instant.parse("2026-11-22T18:03:11Z");

    @Test
    void shouldNameEventsAsTheProfileCountsThem() {
        assertThat(EventTriggerBridge.triggerName(
                        TestEvents.track("u", null, "Order Completed", AT).build()))
                .isEqualTo("Order Completed");
        assertThat(EventTriggerBridge.triggerName(
                        TestEvents.page("u", null, "home", AT).build()))
                .isEqualTo("Page Viewed");
        assertThat(EventTriggerBridge.triggerName(TestEvents.page("u", null, "home", AT)
                        .setType(io.cxflow.avro.EventType.SCREEN)
                        .build()))
                .isEqualTo("Screen Viewed");
        assertThat(EventTriggerBridge.triggerName(
                        TestEvents.identify("u", null, "{}", AT).build()))
                .isNull();
        assertThat(EventTriggerBridge.triggerName(TestEvents.alias("u", "a", AT).build()))
                .isNull();
    }

    @Test
    void shouldDecodeEventsOnlyWhileAWorkflowIsTriggeredByOne() throws Exception {
        AtomicInteger decoded = new AtomicInteger();
        Deserializer<TouchpointEvent> avro = (topic, data) -> {
            decoded.incrementAndGet();
            try {
                return TouchpointEvent.getDecoder().decode(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        AtomicReference<WorkflowCatalog> catalog = new AtomicReference<>(WorkflowCatalog.empty());
        var bridgeValues = EventTriggerBridge.decodingWhenTriggered(avro, catalog::get);
        TouchpointEvent order =
                TestEvents.track("u-1", null, "Order Completed", AT).build();
        ByteBuffer buffer = TouchpointEvent.getEncoder().encode(order);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        // no workflow triggered by an event: nothing is decoded, the bridge skips the record
        assertThat(bridgeValues.deserialize("cx.events.v1", bytes)).isNull();
        assertThat(decoded).hasValue(0);

        // a segment-triggered workflow changes nothing
        catalog.set(WorkflowCatalog.of(
                List.of(Fixtures.webhookWorkflow("welcome", "high-value", TriggerKind.ENTERED, 1, "http://h/w"))));
        assertThat(bridgeValues.deserialize("cx.events.v1", bytes)).isNull();

        // once one is triggered by an event, every event is decoded (its name decides)
        WorkflowDefinition thanks = Fixtures.eventWorkflow("thanks", "Order Completed", 1, "http://h/thanks");
        catalog.set(catalog.get().with(thanks));
        assertThat(bridgeValues.deserialize("cx.events.v1", bytes)).isEqualTo(order);
        assertThat(decoded).hasValue(1);
    }
}
