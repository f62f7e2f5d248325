package io.cxflow.activation.condition;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepConditionTest {

    private final SegmentMembershipChanged ann = change("c-1", "high-value", MembershipChange.ENTERED, 1);

    @Test
    void shouldEvaluateOverTheCustomerSnapshot() {
        assertThat(StepCondition.test("profile.consent.email == true", ann)).isTrue();
        assertThat(StepCondition.test("'userId' in profile.identities && profile.timezone == 'Europe/Rome'", ann))
                .isTrue();
        assertThat(StepCondition.test("profile.segment.change == 'EXITED'", ann))
                .isFalse();
        assertThat(StepCondition.test("profile.email.endsWith('@example.com')", ann))
                .isTrue();
    }

    @Test
    void shouldCountAnEvaluationErrorAsFalse() {
        ann.setConsent(Map.of());

        assertThat(StepCondition.test("profile.consent.sms == true", ann)).isFalse();
        assertThat(StepCondition.test("!has(profile.consent.sms)", ann)).isTrue();
    }

    @Test
    void shouldRefuseExpressionsThatDoNotCompileOrAreNotBoolean() {
        assertThat(StepCondition.check("profile.consent.email ==")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("size(profile.identities)")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("other.x == 1")).startsWith("is not a valid condition");
        assertThat(StepCondition.check("profile.consent.email == true")).isNull();
    }

    @Test
    void shouldSeeTraitsOrdersEventsAndSegmentsOfTheLatestProfile() {
        Decision decision = decision(ann)
                .withProfile(LatestProfile.fromJson(
                        ProfileServer.document("c-1", Map.of("tier", "gold", "age", 41), Map.of("email", false))));

        assertThat(StepCondition.test("profile.traits.tier == 'gold' && profile.traits.age > 40", decision))
                .isTrue();
        assertThat(StepCondition.test("profile.orders.count >= 1 && profile.orders.revenue.EUR > 40.0", decision))
                .isTrue();
        assertThat(StepCondition.test("profile.events['Product Viewed'] > 10", decision))
                .isTrue();
        assertThat(StepCondition.test("'high-value' in profile.segments && profile.locale == 'it-IT'", decision))
                .isTrue();
        // the latest consent wins over the snapshot's (which says true)
        assertThat(StepCondition.test("profile.consent.email == false", decision))
                .isTrue();
    }

    @Test
    void shouldLeaveOutTheLatestProfileKeysWhenNoneWasRead() {
        Decision decision = decision(ann);

        assertThat(StepCondition.test("has(profile.traits)", decision)).isFalse();
        assertThat(StepCondition.test("profile.orders.count == 0", decision)).isFalse();
        assertThat(StepCondition.test("!has(profile.traits)", decision)).isTrue();
    }

    @Test
    void shouldSeeTheEventOfAnEventTrigger() {
        SegmentMembershipChanged occurrence = EventTrigger.of(
                "Order Completed",
                "dev-pos",
                "m-1",
                Instant.parse("2026-11-22T18:03:11Z"),
                null,
                LatestProfile.fromJson(ProfileServer.document("c-2", Map.of(), Map.of())));

        assertThat(StepCondition.test("profile.event.name == 'Order Completed'", occurrence))
                .isTrue();
        assertThat(StepCondition.test("has(profile.segment)", occurrence)).isFalse();
    }

    @Test
    void shouldSeeTheEventsPropertiesOfAnEventTrigger() {
        SegmentMembershipChanged big = EventTrigger.of(
                "Order Completed",
                "dev-pos",
                "m-1",
                Instant.parse("2026-11-22T18:03:11Z"),
                "{\"revenue\": 250.5, \"currency\": \"EUR\", \"items\": 3, \"coupon\": null}",
                LatestProfile.fromJson(ProfileServer.document("c-2", Map.of(), Map.of())));
        SegmentMembershipChanged bare = EventTrigger.of(
                "Order Completed",
                "dev-pos",
                "m-2",
                Instant.parse("2026-11-22T18:03:11Z"),
                null,
                LatestProfile.fromJson(ProfileServer.document("c-2", Map.of(), Map.of())));
        String vip = "has(profile.event.properties.revenue) && profile.event.properties.revenue >= 200"
                + " && profile.event.properties.currency == 'EUR' && profile.event.properties.items == 3";

        assertThat(StepCondition.test(vip, big)).isTrue();
        assertThat(StepCondition.test("has(profile.event.properties.coupon)", big))
                .isFalse();
        assertThat(StepCondition.test(vip, bare)).isFalse();
    }

    private static Decision decision(SegmentMembershipChanged change) {
        return new Decision(
                new IdempotencyKey("w", "s", change.getCustomerId(), change.getMembershipVersion()),
                1,
                "sms",
                Map.of(),
                change);
    }
}
