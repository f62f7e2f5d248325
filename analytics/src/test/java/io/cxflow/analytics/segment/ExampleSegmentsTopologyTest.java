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

/** The shipped example segments through the whole topology, including time alone and identity merges. */
class ExampleSegmentsTopologyTest {

    static final Segment HIGH_VALUE =
            Segment.of("high-value", "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= 500.0");
    static final Segment MULTICHANNEL = Segment.of("multichannel", "channels(duration(\"720h\")) >= 3");
    static final Segment ENGAGED_EMAIL =
            Segment.of("engaged-email", "count(\"Email Opened\", duration(\"336h\")) >= 2");
    static final Segment VIP = Segment.of("vip", "has(profile.traits.vip) && profile.traits.vip == true");

    private final Events events = new Events();
    // an hour and more before the wall clock: events after the evaluation time do not count yet
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
    private final String ann = CustomerIds.derive("userId:u-ann");

    private List<String> changes(AnalyticsDriver driver) {
        return driver.membershipChanges().stream()
                .map(c -> c.getSegmentId() + ":" + c.getChange() + ":" + c.getCustomerId())
                .toList();
    }

    @Test
    void shouldEnterHighValueAtFiveHundredAcrossAnonymousAndIdentifiedOrdersOfOneCustomer() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(HIGH_VALUE))) {
            driver.send(events.track(null, "Order Completed", start)
                    .setUserId(null)
                    .setAnonymousId("a-ann")
                    .setProperties("{\"revenue\": 300}"));
            driver.send(events.track("u-ann", "Order Completed", start.plusSeconds(60))
                    .setProperties("{\"revenue\": 250}"));
            assertThat(changes(driver)).isEmpty();

            // the identify joins the two: the merged profile holds 550
            driver.send(events.identify("u-ann", "{}", start.plusSeconds(120)).setAnonymousId("a-ann"));
            assertThat(changes(driver)).containsExactly("high-value:ENTERED:" + ann);
            assertThat(driver.storedProfile(ann).getSegments()).containsExactly("high-value");
        }
    }

    @Test
    void shouldEnterMultichannelOnTheThirdChannelAndExitThirtyDaysAfterItsLastUse() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(MULTICHANNEL))) {
            driver.send(events.track("u-ann", "Product Viewed", start));
            driver.send(events.screen("u-ann", start.plusSeconds(60)));
            assertThat(changes(driver)).isEmpty();
            driver.send(events.track("u-ann", "Order Completed", start.plusSeconds(120))
                    .setChannel("pos")
                    .setSourceId("dev-pos"));
            assertThat(changes(driver)).containsExactly("multichannel:ENTERED:" + ann);

            driver.advanceWallClock(Duration.ofHours(721));
            assertThat(changes(driver)).containsExactly("multichannel:EXITED:" + ann);
        }
    }

    @Test
    void shouldEnterEngagedEmailOnTheSecondOpenAndLeaveWhenTheOpensAgeOut() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(ENGAGED_EMAIL))) {
            driver.send(events.track("u-ann", "Email Opened", start).setChannel("email"));
            assertThat(changes(driver)).isEmpty();
            driver.send(events.track("u-ann", "Email Opened", start.plusSeconds(3600))
                    .setChannel("email"));
            assertThat(changes(driver)).containsExactly("engaged-email:ENTERED:" + ann);

            driver.advanceWallClock(Duration.ofDays(16));
            assertThat(changes(driver)).containsExactly("engaged-email:EXITED:" + ann);
        }
    }

    @Test
    void shouldFollowTheVipTraitAndNeverScheduleATimeCheck() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(VIP, HIGH_VALUE))) {
            driver.send(events.identify("u-ann", "{\"vip\": true}", start));
            assertThat(changes(driver)).containsExactly("vip:ENTERED:" + ann);
            driver.send(events.identify("u-ann", "{\"vip\": false}", start.plusSeconds(60)));
            assertThat(changes(driver)).containsExactly("vip:EXITED:" + ann);
            driver.advanceWallClock(Duration.ofDays(400));
            assertThat(changes(driver)).isEmpty();
            assertThat(driver.<Long>store(SegmentTopology.SCHEDULE_STORE).approximateNumEntries())
                    .isZero();
        }
    }

    @Test
    void shouldExitTheAbsorbedCustomerAndEnterTheSurvivorOnceWhenTwoMembersMerge() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(VIP))) {
            driver.send(events.track(null, "Product Viewed", start)
                    .setUserId(null)
                    .setAnonymousId("a-ann")
                    .setContext(Events.context().setTraits("{\"vip\": true}").build()));
            driver.send(events.identify("u-ann", "{\"vip\": true}", start.plusSeconds(60)));
            String anonymous = CustomerIds.derive("anonymousId:a-ann");
            assertThat(changes(driver)).containsExactlyInAnyOrder("vip:ENTERED:" + anonymous, "vip:ENTERED:" + ann);

            driver.send(events.identify("u-ann", "{}", start.plusSeconds(120)).setAnonymousId("a-ann"));
            List<SegmentMembershipChanged> merged = driver.membershipChanges();
            assertThat(merged).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId()).isEqualTo(anonymous);
                assertThat(change.getChange()).isEqualTo(MembershipChange.EXITED);
            });
            assertThat(driver.size("vip")).isEqualTo(1);
        }
    }
}
