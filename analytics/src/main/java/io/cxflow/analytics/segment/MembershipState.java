package io.cxflow.analytics.segment;

import java.time.Instant;
import java.util.Objects;

/**
 * The stored membership of one customer in one segment.
 *
 * @param member whether the customer is in the segment now
 * @param membershipVersion 1 after the first ENTERED, +1 on every change
 * @param changedAt event time of the last change
 */
public record MembershipState(boolean member, long membershipVersion, Instant changedAt) {

    public MembershipState {
        Objects.requireNonNull(changedAt, "changedAt");
        if (membershipVersion < 1) {
            throw new IllegalArgumentException("membershipVersion must be >= 1");
        }
    }

    /** The store key of a customer's membership in a segment: {@code <segmentId>:<customerId>}. */
    public static String key(String segmentId, String customerId) {
        return segmentId + ":" + customerId;
    }
}
