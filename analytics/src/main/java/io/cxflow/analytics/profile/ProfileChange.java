package io.cxflow.analytics.profile;

import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import java.util.Objects;

/**
 * One change of one profile as it flows between the stages of the topology (never serialized: stages
 * run in the same sub-topology as the aggregation).
 *
 * @param customerId the customer (the record key)
 * @param before the profile before the event, {@code null} for a new customer
 * @param after the profile after the event, as the stages have enriched it so far
 * @param cause the event that changed the profile
 */
public record ProfileChange(String customerId, CustomerProfile before, CustomerProfile after, TouchpointEvent cause) {

    public ProfileChange {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(cause, "cause");
    }

    /** The same change with an enriched profile. */
    public ProfileChange withProfile(CustomerProfile updated) {
        return new ProfileChange(customerId, before, updated, cause);
    }
}
