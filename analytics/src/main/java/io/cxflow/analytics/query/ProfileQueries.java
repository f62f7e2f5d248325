package io.cxflow.analytics.query;

import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.avro.CustomerProfile;
import java.util.List;
import java.util.Optional;

/**
 * Reads profiles and memberships for the query API. The skeleton answers from the local instance's
 * stores ({@link LocalProfileQueries}); a multi-instance deployment puts an implementation here that
 * finds the instance owning a key ({@code KafkaStreams.queryMetadataForKey} with {@code
 * application.server}) and forwards the query to it, without changing the HTTP layer.
 */
public interface ProfileQueries {

    /** The profile of a customer. */
    Optional<CustomerProfile> profile(String customerId);

    /**
     * The profile that holds an identifier.
     *
     * @param value the identifier, normalized as {@link IdentifierType#normalize} does
     */
    Optional<CustomerProfile> lookup(IdentifierType type, String value);

    /** The customer's membership in each configured segment it was ever evaluated into. */
    List<Membership> memberships(String customerId);

    /**
     * Thrown when the stores cannot be read right now (the instance is starting, rebalancing or
     * restoring); the caller answers 503 and the client retries.
     */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
