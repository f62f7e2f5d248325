package io.cxflow.analytics.segment;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.config.ConfigSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentTopologyTest {

    private static final Segment ENGAGED = Segment.of("engaged", "profile.eventCount >= 3");
    private static final Segment EMAILABLE = new Segment(
            "emailable",
            "Emailable",
            SegmentCondition.compile("'email' in profile.consent && profile.consent.email"),
            4);

    private final Events events = new Events();

    @Test
    void shouldEnterEngagedAtThirdEventAndNotEnterAgainOnFourth() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(ENGAGED))) {
            driver.send(events.page("u-1", at(1)));
            driver.send(events.page("u-1", at(2)));
            assertThat(driver.membershipChanges()).isEmpty();

            driver.send(events.track("u-1", "Product Viewed", at(3)).setMessageId("m-third"));
            List<SegmentMembershipChanged> third = driver.membershipChanges();
            driver.send(events.page("u-1", at(4)));
            List<SegmentMembershipChanged> fourth = driver.membershipChanges();

            assertThat(third).singleElement().satisfies(change -> {
                assertThat(change.getCustomerId())
                        .isEqualTo(io.cxflow.analytics.identity.CustomerIds.derive("userId:u-1"));
                assertThat(change.getSegmentId()).isEqualTo("engaged");
                assertThat(change.getSegmentVersion()).isEqualTo(1);
                assertThat(change.getChange()).isEqualTo(MembershipChange.ENTERED);
                assertThat(change.getMembershipVersion()).isEqualTo(1);
                assertThat(change.getAt()).isEqualTo(at(3));
                assertThat(change.getReason()).isEqualTo("event \"Product Viewed\" (track, messageId m-third)");
            });
            assertThat(fourth).isEmpty();
            assertThat(driver.membership("engaged", io.cxflow.analytics.identity.CustomerIds.derive("userId:u-1")))
                    .isEqualTo(new MembershipState(true, 1, at(3)));
        }
    }

    @Test
    void shouldListCurrentSegmentsInTheStoredAndPublishedProfile() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(ENGAGED))) {
            driver.send(events.page("u-1", at(1)));
            driver.send(events.page("u-1", at(2)));
            driver.send(events.page("u-1", at(3)));

            List<CustomerProfile> published = driver.publishedProfiles();

            assertThat(published)
                    .extracting(CustomerProfile::getSegments)
                    .containsExactly(List.of(), List.of(), List.of("engaged"));
            assertThat(driver.profileOfUser("u-1").getSegments()).containsExactly("engaged");
        }
    }

    @Test
    void shouldExitWhenConfiguredConditionStopsHoldingAndCountMembershipVersions() {
        SegmentSettings configured = AnalyticsConfig.from(ConfigSource.of(Map.of(
                        "analytics.segments", "engaged,emailable",
                        "analytics.segment.emailable.condition", "'email' in profile.consent && profile.consent.email",
                        "analytics.segment.emailable.version", "4")))
                .segments();
        try (AnalyticsDriver driver = new AnalyticsDriver(configured)) {
            driver.send(events.identify("u-1", "{\"consent\":{\"email\":true}}", at(1)));
            driver.send(events.track("u-1", "Consent Updated", at(2))
                    .setMessageId("m-withdraw")
                    .setProperties("{\"channel\":\"email\",\"granted\":false}"));
            driver.send(events.track("u-1", "Consent Updated", at(3))
                    .setProperties("{\"channel\":\"email\",\"granted\":true}"));

            List<SegmentMembershipChanged> changes = driver.membershipChanges();

            assertThat(changes)
                    .extracting(
                            SegmentMembershipChanged::getSegmentId,
                            SegmentMembershipChanged::getChange,
                            SegmentMembershipChanged::getMembershipVersion)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("emailable", MembershipChange.ENTERED, 1L),
                            org.assertj.core.groups.Tuple.tuple("emailable", MembershipChange.EXITED, 2L),
                            org.assertj.core.groups.Tuple.tuple("engaged", MembershipChange.ENTERED, 1L),
                            org.assertj.core.groups.Tuple.tuple("emailable", MembershipChange.ENTERED, 3L));
            assertThat(changes.get(1).getReason()).isEqualTo("event \"Consent Updated\" (track, messageId m-withdraw)");
            assertThat(changes.get(1).getSegmentVersion()).isEqualTo(4);
            assertThat(driver.profileOfUser("u-1").getSegments()).containsExactly("emailable", "engaged");
        }
    }

    @Test
    void shouldNeverEmitTwoEntriesWithoutAnExitBetween() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(EMAILABLE))) {
            boolean[] grants = {true, true, false, false, true, false, true, true};
            for (int i = 0; i < grants.length; i++) {
                driver.send(events.track("u-1", "Consent Updated", at(i))
                        .setProperties("{\"channel\":\"email\",\"granted\":" + grants[i] + "}"));
            }

            List<SegmentMembershipChanged> changes = driver.membershipChanges();

            assertThat(changes)
                    .extracting(SegmentMembershipChanged::getChange)
                    .containsExactly(
                            MembershipChange.ENTERED,
                            MembershipChange.EXITED,
                            MembershipChange.ENTERED,
                            MembershipChange.EXITED,
                            MembershipChange.ENTERED);
            assertThat(changes)
                    .extracting(SegmentMembershipChanged::getMembershipVersion)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void shouldSnapshotIdentitiesContactsConsentAndTimezoneOnMembershipChange() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(ENGAGED))) {
            driver.send(events.identify("u-1", "{\"email\":\"Ann@Example.com\",\"phone\":\"0039 333 1234567\"}", at(1))
                    .setAnonymousId("a-1")
                    .setContext(Events.context().setTimezone("Europe/Rome").build()));
            driver.send(events.track("u-1", "Consent Updated", at(2))
                    .setProperties("{\"channel\":\"sms\",\"granted\":false}"));
            driver.send(events.page("u-1", at(3)));

            SegmentMembershipChanged entered = driver.membershipChanges().getFirst();

            assertThat(entered.getIdentities())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "userId", List.of("u-1"),
                            "anonymousId", List.of("a-1"),
                            "email", List.of("ann@example.com"),
                            "phone", List.of("+393331234567")));
            assertThat(entered.getEmail()).isEqualTo("ann@example.com");
            assertThat(entered.getPhone()).isEqualTo("+393331234567");
            assertThat(entered.getConsent()).isEqualTo(Map.of("sms", false));
            assertThat(entered.getTimezone()).isEqualTo("Europe/Rome");
            assertThat(entered.getReason()).startsWith("event \"Page Viewed\" (page, messageId ");
        }
    }

    @Test
    void shouldCountConditionThatFailsToEvaluateAsNotHolding() {
        Segment vip = Segment.of("vip", "profile.traits.vip == true");
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(vip))) {
            driver.send(events.page("u-1", at(1)));
            driver.send(events.identify("u-1", "{\"vip\":true}", at(2)));

            assertThat(driver.membershipChanges())
                    .singleElement()
                    .extracting(SegmentMembershipChanged::getChange, SegmentMembershipChanged::getMembershipVersion)
                    .containsExactly(MembershipChange.ENTERED, 1L);
            assertThat(driver.publishedProfiles())
                    .extracting(CustomerProfile::getEventCount)
                    .containsExactly(1L, 2L);
        }
    }
}
