package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.TraitValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentConditionTest {

    private static final Instant FIRST = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant LAST = Instant.parse("2026-11-22T18:03:11Z");

    private static CustomerProfile profile(long eventCount) {
        return CustomerProfile.newBuilder()
                .setCustomerId("u-1")
                .setIdentities(Map.of("userId", List.of("u-1"), "email", List.of("ann@example.com")))
                .setTraits(Map.of(
                        "plan", new TraitValue("\"pro\"", "dev-web", FIRST),
                        "age", new TraitValue("41", "dev-web", FIRST),
                        "address", new TraitValue("{\"city\":\"Rome\"}", "dev-web", FIRST)))
                .setFirstSeen(FIRST)
                .setLastSeen(LAST)
                .setEventCount(eventCount)
                .setEvents(Map.of("Order Completed", 2L, "Page Viewed", 5L))
                .setChannels(Map.of("web", new ChannelStats(7L, FIRST, LAST)))
                .setOrders(new OrderStats(2L, Map.of("EUR", "123.45")))
                .setConsent(Map.of("email", new ConsentState(true, FIRST, "dev-web")))
                .setTimezone("Europe/Rome")
                .setLocale(null)
                .setSegments(List.of("newsletter"))
                .setUpdatedAt(LAST)
                .build();
    }

    @Test
    void shouldHoldWhenEventCountReachesThreshold() {
        SegmentCondition engaged = SegmentCondition.compile("profile.eventCount >= 3");

        assertThat(engaged.test(profile(3))).isTrue();
        assertThat(engaged.test(profile(2))).isFalse();
    }

    @Test
    void shouldReadEveryContractFieldByItsContractName() {
        CustomerProfile profile = profile(7);

        assertThat(SegmentCondition.compile("profile.customerId == 'u-1'").test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("'ann@example.com' in profile.identities.email")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.traits.plan == 'pro' && profile.traits.age > 40")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.traits.address.city == 'Rome'")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.lastSeen - profile.firstSeen > duration('48h')")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.firstSeen < timestamp('2026-11-21T00:00:00Z')")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.events['Order Completed'] >= 2")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.channels.web.eventCount == 7")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.orders.count >= 2 && profile.orders.revenue.EUR > 100.0")
                        .test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.consent.email").test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("'newsletter' in profile.segments").test(profile))
                .isTrue();
        assertThat(SegmentCondition.compile("profile.timezone == 'Europe/Rome' && profile.locale == ''")
                        .test(profile))
                .isTrue();
    }

    @Test
    void shouldReportPositionWhenConditionHasSyntaxError() {
        assertThatThrownBy(() -> SegmentCondition.compile("profile.eventCount >= "))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(23);
                    assertThat(e.getMessage()).startsWith("invalid condition at 1:23: ");
                });
    }

    @Test
    void shouldRejectUnknownProfileFieldAtCompileTime() {
        assertThatThrownBy(() -> SegmentCondition.compile("profile.evenCount >= 3"))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.column()).isEqualTo(8);
                    assertThat(e.getMessage()).contains("undefined field 'evenCount'");
                });
    }

    @Test
    void shouldRejectConditionThatIsNotBoolean() {
        assertThatThrownBy(() -> SegmentCondition.compile("profile.eventCount + 1"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("bool");
    }

    @Test
    void shouldRejectEmptyCondition() {
        assertThatThrownBy(() -> SegmentCondition.compile("  "))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void shouldFailEvaluationWhenConditionReadsMissingTraitWithoutGuard() {
        SegmentCondition unguarded = SegmentCondition.compile("profile.traits.vip == true");
        SegmentCondition guarded = SegmentCondition.compile("has(profile.traits.vip) && profile.traits.vip == true");

        assertThatThrownBy(() -> unguarded.test(profile(1))).isInstanceOf(ConditionEvaluationException.class);
        assertThat(guarded.test(profile(1))).isFalse();
    }
}
