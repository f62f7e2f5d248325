package io.cxflow.activation.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.testkit.TestEvents;
import java.time.Instant;
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
}
