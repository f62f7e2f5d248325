package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.SegmentTopology;

/**
 * The state stores the segments API reads (the names come from {@link SegmentTopology} and {@link
 * ProfileTopology}). A store missing from the running topology reads as unavailable (503), never as
 * empty.
 *
 * <ul>
 *   <li>{@value #DEFINITIONS}: global ({@code cx.segment-definitions.v1} on every instance), segment id →
 *       {@code SegmentDefinition}; a definition with {@code deleted=true} counts as absent;
 *   <li>{@value #MEMBERSHIPS}: per customer task, {@code <segmentId>:<customerId>} → {@code
 *       MembershipState};
 *   <li>{@value #SIZES}: per customer task, segment id → {@code Long}, the members of the segment in
 *       that task's partition;
 *   <li>{@value #PROFILES}: per customer task, customer id → {@code CustomerProfile}.
 * </ul>
 */
final class SegmentStores {

    /** Segment id → definition; a global store, complete on every instance. */
    static final String DEFINITIONS = SegmentTopology.DEFINITIONS_STORE;

    /** {@code <segmentId>:<customerId>} → membership state, in the customer's task. */
    static final String MEMBERSHIPS = SegmentTopology.MEMBERSHIP_STORE;

    /** Segment id → members in this task's partition. */
    static final String SIZES = SegmentTopology.SIZES_STORE;

    /** Customer id → merged profile. */
    static final String PROFILES = ProfileTopology.PROFILES_STORE;

    private SegmentStores() {}
}
