package io.cxflow.activation.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.testing.Fixtures;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTriggerTest {

    @Test
    void shouldGiveTheSameEventTheSamePositiveOccurrenceNumber() {
        long once = EventTrigger.occurrence("dev-pos", "m-1");

        assertThat(EventTrigger.occurrence("dev-pos", "m-1")).isEqualTo(once);
        assertThat(once).isPositive();
        assertThat(EventTrigger.occurrence("dev-web", "m-1")).isNotEqualTo(once);
        assertThat(EventTrigger.occurrence("dev-pos", "m-2")).isNotEqualTo(once);
        // the separator keeps ("a", "b\\nc") and ("a\\nb", "c") apart
        assertThat(EventTrigger.occurrence("a", "bc")).isNotEqualTo(EventTrigger.occurrence("ab", "c"));
    }

    @Test
    void shouldCarryTheResolvedCustomersSnapshot() {
        var document = ProfileServer.document(
                "cus_1", Map.of("email", " Ann@Example.com ", "phone", "0039 333 123 4567"), Map.of("sms", true));
        Instant at = Instant.parse("2026-11-22T18:03:11Z");

        SegmentMembershipChanged occurrence = EventTrigger.of(
                "Order Completed", "dev-pos", "m-1", at, "{\"orderId\": \"o-7\"}", LatestProfile.fromJson(document));

        assertThat(EventTrigger.isEvent(occurrence)).isTrue();
        assertThat(EventTrigger.eventName(occurrence)).isEqualTo("Order Completed");
        assertThat(occurrence.getCustomerId()).isEqualTo("cus_1");
        assertThat(occurrence.getSegmentId()).isEqualTo("event:Order Completed");
        assertThat(occurrence.getProperties()).isEqualTo("{\"orderId\": \"o-7\"}");
        assertThat(occurrence.getMembershipVersion()).isEqualTo(EventTrigger.occurrence("dev-pos", "m-1"));
        assertThat(occurrence.getChange()).isEqualTo(MembershipChange.ENTERED);
        assertThat(occurrence.getAt()).isEqualTo(at);
        assertThat(occurrence.getReason()).isEqualTo("event Order Completed");
        assertThat(occurrence.getEmail()).isEqualTo("ann@example.com");
        assertThat(occurrence.getPhone()).isEqualTo("+393331234567");
        assertThat(occurrence.getConsent()).containsEntry("sms", true);
        assertThat(occurrence.getTimezone()).isEqualTo("Europe/Rome");
        assertThat(occurrence.getIdentities()).containsKey("userId");
    }

    @Test
    void shouldNeverTakeASegmentForAnEvent() {
        assertThat(EventTrigger.isEvent(Fixtures.change("c", "high-value", MembershipChange.ENTERED, 1)))
                .isFalse();
    }
}
