package io.cxflow.analytics.profile;

import io.cxflow.avro.CustomerProfile;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of one customer's profile as it flows between the stages of the customer sub-topology
 * (never serialized).
 *
 * @param customerId the customer (the record key)
 * @param before the profile before the change, {@code null} for a new customer
 * @param after the profile after the change, as the stages have enriched it so far; {@code null} when
 *     the customer no longer exists (absorbed by a merge)
 * @param reason what changed it, e.g. {@code event "Order Completed" (track, messageId m-1)} or {@code
 *     merge}
 * @param at event time of the change
 * @param sourceId the source of the event behind the change, {@code null} for identity changes
 */
public record ProfileChange(
        String customerId, CustomerProfile before, CustomerProfile after, String reason, Instant at, String sourceId) {

    public ProfileChange {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (before == null && after == null) {
            throw new IllegalArgumentException("a change needs a before or an after profile");
        }
    }

    /** The same change with an enriched profile. */
    public ProfileChange withProfile(CustomerProfile updated) {
        return new ProfileChange(customerId, before, updated, reason, at, sourceId);
    }

    /** Whether the customer ceased to exist. */
    public boolean isRemoval() {
        return after == null;
    }
}
