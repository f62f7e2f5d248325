package io.cxflow.analytics.segment;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segments defined at runtime on cx.segment-definitions.v1: backfill, per-segment topics, deletion, sizes. */
class SegmentDefinitionsTopologyTest {

    private final Events events = new Events();
    private final String ann = CustomerIds.derive("userId:u-ann");
    private final String bob = CustomerIds.derive("userId:u-bob");

    @Test
    void shouldBackfillExistingProfilesWhenASegmentIsDefinedAndFanOutToItsTopic() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of())) {
            driver.send(events.track("u-ann", "Order Completed", at(1)));
            driver.send(events.track("u-bob", "Product Viewed", at(2)));
            assertThat(driver.membershipChanges()).isEmpty();

            driver.define("buyers", "profile.orders.count >= 1", true, 1);
            driver.advanceWallClock(Duration.ofSeconds(2));

            List<SegmentMembershipChanged> changes = driver.membershipChanges();
            assertThat(changes).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId()).isEqualTo(ann);
                assertThat(change.getChange()).isEqualTo(MembershipChange.ENTERED);
                assertThat(change.getSegmentId()).isEqualTo("buyers");
                assertThat(change.getReason()).contains("segment definitions changed");
            });
            assertThat(driver.segmentTopic("buyers"))
                    .singleElement()
                    .satisfies(change -> assertThat(change.getCustomerId()).isEqualTo(ann));
            assertThat(driver.storedProfile(ann).getSegments()).containsExactly("buyers");
            assertThat(driver.size("buyers")).isEqualTo(1);

            // a later event is evaluated against the new definition at once
            driver.send(events.track("u-bob", "Order Completed", at(3)));
            assertThat(driver.membershipChanges())
                    .extracting(SegmentMembershipChanged::getCustomerId, SegmentMembershipChanged::getChange)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(bob, MembershipChange.ENTERED));
            assertThat(driver.size("buyers")).isEqualTo(2);
        }
    }

    @Test
    void shouldMoveMembersWhenADefinitionChangesAndExitThemWhenItIsDeleted() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of())) {
            driver.send(events.track("u-ann", "Order Completed", at(1)));
            driver.send(events.track("u-ann", "Order Completed", at(2)));
            driver.send(events.track("u-bob", "Order Completed", at(3)));
            driver.define("buyers", "profile.orders.count >= 1", false, 1);
            driver.advanceWallClock(Duration.ofSeconds(2));
            assertThat(driver.membershipChanges()).hasSize(2);

            driver.define("buyers", "profile.orders.count >= 2", false, 2);
            driver.advanceWallClock(Duration.ofSeconds(2));
            assertThat(driver.membershipChanges()).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId()).isEqualTo(bob);
                assertThat(change.getChange()).isEqualTo(MembershipChange.EXITED);
                assertThat(change.getSegmentVersion()).isEqualTo(2);
            });

            driver.undefine("buyers");
            driver.advanceWallClock(Duration.ofSeconds(2));
            assertThat(driver.membershipChanges()).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId()).isEqualTo(ann);
                assertThat(change.getChange()).isEqualTo(MembershipChange.EXITED);
            });
            assertThat(driver.size("buyers")).isZero();
            assertThat(driver.storedProfile(ann).getSegments()).isEmpty();
        }
    }
}
