package io.cxflow.analytics.dedupe;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DedupeTopologyTest {

    private static final Duration WINDOW = Duration.ofDays(7);

    private final Events events = new Events();
    private final AnalyticsDriver driver =
            new AnalyticsDriver(new ProfileSettings("EUR", WINDOW), SegmentSettings.of());

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldCountARepeatedMessageIdFromTheSameSourceOnce() {
        // Given an order and a page view, each delivered three times
        TouchpointEvent order = order("u-1", at(1));
        TouchpointEvent page = events.page("u-1", at(2)).build();

        // When
        driver.send(order);
        driver.send(page);
        driver.send(order);
        driver.send(redelivered(order, at(30)));
        driver.send(page);
        driver.send(redelivered(page, at(60 * 24)));

        // Then
        CustomerProfile profile = driver.profileOfUser("u-1");
        assertThat(profile.getEventCount()).isEqualTo(2);
        assertThat(profile.getEvents()).isEqualTo(Map.of("Order Completed", 1L, "Page Viewed", 1L));
        assertThat(profile.getOrders().getCount()).isEqualTo(1);
        assertThat(profile.getOrders().getRevenue()).isEqualTo(Map.of("EUR", "10.50"));
        assertThat(driver.publishedProfiles()).hasSize(2);
        assertThat(driver.rejections()).isEmpty();
    }

    @Test
    void shouldCountTheSameMessageIdFromAnotherSourceAgain() {
        TouchpointEvent web = order("u-1", at(1));
        TouchpointEvent pos = TouchpointEvent.newBuilder(web)
                .setSourceId("dev-pos")
                .setChannel("pos")
                .build();

        driver.send(web);
        driver.send(pos);

        CustomerProfile profile = driver.profileOfUser("u-1");
        assertThat(profile.getEventCount()).isEqualTo(2);
        assertThat(profile.getEvents()).isEqualTo(Map.of("Order Completed", 2L));
        assertThat(profile.getOrders().getCount()).isEqualTo(2);
        assertThat(profile.getOrders().getRevenue()).isEqualTo(Map.of("EUR", "21.00"));
    }

    @Test
    void shouldCountARepeatAgainWhenItIsReceivedAfterTheWindow() {
        // Given an order received at minute 1
        TouchpointEvent order = order("u-1", at(1));
        driver.send(order);

        // When the same message is received again once the window has passed
        Instant afterWindow = at(1).plus(WINDOW).plusSeconds(60);
        driver.send(redelivered(order, afterWindow));
        // and once more right after that
        driver.send(redelivered(order, afterWindow.plusSeconds(60)));

        // Then the first two count, the third is a duplicate of the second
        CustomerProfile profile = driver.profileOfUser("u-1");
        assertThat(profile.getEventCount()).isEqualTo(2);
        assertThat(profile.getOrders().getCount()).isEqualTo(2);
        assertThat(profile.getEvents()).isEqualTo(Map.of("Order Completed", 2L));
    }

    @Test
    void shouldDropAnEarlierDuplicateThatArrivesOutOfOrderInsideTheWindow() {
        // Given the copy received at day 3 is read first
        TouchpointEvent order = order("u-1", at(1));
        driver.send(redelivered(order, at(3 * 24 * 60)));

        // When the copy received at minute 1 is read after it
        driver.send(order);

        // Then it counts once
        CustomerProfile profile = driver.profileOfUser("u-1");
        assertThat(profile.getEventCount()).isEqualTo(1);
        assertThat(profile.getOrders().getCount()).isEqualTo(1);
    }

    @Test
    void shouldDecideByReceivedAtSoAClientTimestampCannotEscapeTheWindow() {
        // Given an event, and a copy whose client-side event time is a month later
        TouchpointEvent order = order("u-1", at(1));
        TouchpointEvent sameMessageLaterClientTime = TouchpointEvent.newBuilder(order)
                .setTimestamp(at(1).plus(Duration.ofDays(30)))
                .setReceivedAt(at(2))
                .build();

        driver.send(order);
        driver.send(sameMessageLaterClientTime);

        CustomerProfile profile = driver.profileOfUser("u-1");
        assertThat(profile.getEventCount()).isEqualTo(1);
        assertThat(profile.getLastSeen()).isEqualTo(at(1));
    }

    @Test
    void shouldKeyTheStoreBySourceAndMessageIdSeparatedByANul() {
        assertThat(DedupeTopology.key("dev-web", "m-1")).isEqualTo("dev-web\u0000m-1");
        assertThat(DedupeTopology.key("a", "b\u0000c")).isNotEqualTo(DedupeTopology.key("a\u0000b", "d"));
        assertThat(DedupeTopology.retention(WINDOW)).isGreaterThanOrEqualTo(WINDOW);
    }

    private TouchpointEvent order(String userId, Instant at) {
        return events.track(userId, "Order Completed", at)
                .setProperties("{\"revenue\":10.50,\"currency\":\"EUR\"}")
                .build();
    }

    /** The same message as received again by the collector later (event time unchanged). */
    private static TouchpointEvent redelivered(TouchpointEvent event, Instant receivedAt) {
        return TouchpointEvent.newBuilder(event).setReceivedAt(receivedAt).build();
    }
}
