package io.cxflow.activation.channel.support;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decisions on any channel for connector tests, with a customer who has an email, a phone and a user id. */
public final class Decisions {

    public static final Instant AT = Instant.parse("2026-11-22T18:03:11Z");

    private Decisions() {}

    public static SegmentMembershipChanged.Builder change(String customerId, MembershipChange change, long version) {
        Map<String, List<String>> identities = new LinkedHashMap<>();
        identities.put("email", List.of("Ann@Example.com "));
        identities.put("phone", List.of("+393331234567"));
        identities.put("userId", List.of("u-1"));
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(customerId)
                .setSegmentId("high-value")
                .setSegmentVersion(2)
                .setChange(change)
                .setMembershipVersion(version)
                .setReason("event Order Completed")
                .setAt(AT)
                .setIdentities(identities)
                .setEmail("ann@example.com")
                .setPhone("+39 333 123 4567")
                .setConsent(Map.of("email", true, "sms", true))
                .setTimezone("Europe/Rome");
    }

    public static Decision decision(String channel, String stepId, Map<String, String> settings) {
        return decision(
                channel,
                stepId,
                settings,
                change("cus_42", MembershipChange.ENTERED, 3).build());
    }

    public static Decision decision(
            String channel, String stepId, Map<String, String> settings, SegmentMembershipChanged change) {
        return new Decision(
                new IdempotencyKey("welcome", stepId, change.getCustomerId(), change.getMembershipVersion()),
                2,
                channel,
                settings,
                change);
    }
}
