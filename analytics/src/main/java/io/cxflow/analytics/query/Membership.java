package io.cxflow.analytics.query;

import java.time.Instant;

/**
 * A customer's membership in one segment, as answered by {@code GET /v1/profiles/{id}/segments}.
 *
 * @param segmentId the segment
 * @param name its name
 * @param member whether the customer is in it now
 * @param membershipVersion 1 after the first ENTERED, +1 on every change
 * @param changedAt event time of the last change
 */
public record Membership(String segmentId, String name, boolean member, long membershipVersion, Instant changedAt) {}
