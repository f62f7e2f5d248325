package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segments whose answer changes with time alone: the customer is scheduled for the next moment the
 * answer can change and re-evaluated by the wall-clock punctuator, with no scan of all profiles.
 */
class TimeBasedSegmentsTopologyTest {

    private static final Segment LAPSED = Segment.of("lapsed", "idle() > duration(\"720h\")");
    private static final Segment ABANDONERS = Segment.of(
            "cart-abandoners",
            "count(\"Product Added\", duration(\"2h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")");

    private final Events events = new Events();
    private final String ann = CustomerIds.derive("userId:u-ann");
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void shouldEnterLapsedWhenThirtyDaysPassWithoutAnEventAndExitOnTheNextEvent() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(LAPSED))) {
            driver.send(events.track("u-ann", "Product Viewed", start));
            driver.advanceWallClock(Duration.ofDays(29));
            assertThat(driver.membershipChanges()).isEmpty();

            driver.advanceWallClock(Duration.ofDays(1).plusMinutes(1));
            List<SegmentMembershipChanged> entered = driver.membershipChanges();
            assertThat(entered).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId()).isEqualTo(ann);
                assertThat(change.getChange()).isEqualTo(MembershipChange.ENTERED);
                assertThat(change.getReason()).startsWith("time");
            });
            assertThat(driver.storedProfile(ann).getSegments()).containsExactly("lapsed");

            driver.send(events.track("u-ann", "Product Viewed", start.plus(Duration.ofDays(31))));
            assertThat(driver.membershipChanges()).singleElement().satisfies(change -> assertThat(change.getChange())
                    .isEqualTo(MembershipChange.EXITED));
            assertThat(driver.size("lapsed")).isZero();
        }
    }

    @Test
    void shouldEnterCartAbandonersOnTheAddAndExitTwoHoursLaterOrOnTheOrder() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(ABANDONERS))) {
            driver.send(events.track("u-ann", "Product Added", start));
            assertThat(driver.membershipChanges())
                    .extracting(SegmentMembershipChanged::getChange)
                    .containsExactly(MembershipChange.ENTERED);

            driver.advanceWallClock(Duration.ofMinutes(110));
            assertThat(driver.membershipChanges()).isEmpty();
            driver.advanceWallClock(Duration.ofMinutes(15));
            assertThat(driver.membershipChanges()).singleElement().satisfies(change -> {
                assertThat(change.getChange()).isEqualTo(MembershipChange.EXITED);
                assertThat(change.getMembershipVersion()).isEqualTo(2);
            });

            Instant later = start.plus(Duration.ofMinutes(124)); // not after the wall clock (start + 125 min)
            driver.send(events.track("u-ann", "Product Added", later));
            driver.send(events.track("u-ann", "Order Completed", later.plusSeconds(30)));
            assertThat(driver.membershipChanges())
                    .extracting(SegmentMembershipChanged::getChange)
                    .containsExactly(MembershipChange.ENTERED, MembershipChange.EXITED);
            // nothing left to re-check: no further change without an event
            driver.advanceWallClock(Duration.ofHours(3));
            assertThat(driver.membershipChanges()).isEmpty();
        }
    }
}
