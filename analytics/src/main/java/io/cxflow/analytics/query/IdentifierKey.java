package io.cxflow.analytics.query;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.identity.IdentitySettings;
import java.util.Objects;

/**
 * One normalized identifier asked for by a lookup: its type ({@code userId}, {@code anonymousId},
 * {@code email}, {@code phone} or the name of a configured external id) and value.
 *
 * @param type the identifier type as named in the contract and the identity index
 * @param value the normalized value
 */
public record IdentifierKey(String type, String value) {

    public IdentifierKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** The key of the identity index: {@code <type>:<value>}. */
    public String key() {
        return type + ":" + value;
    }

    /**
     * Whether the identifier is a routing id ({@code userId} or {@code anonymousId}): one that is not in
     * the identity index still is its own customer, {@link #derivedCustomerId()}.
     */
    public boolean isRoutingId() {
        return type.equals(IdentitySettings.USER_ID) || type.equals(IdentitySettings.ANONYMOUS_ID);
    }

    /** The customer id derived from this identifier alone. */
    public String derivedCustomerId() {
        return CustomerIds.derive(key());
    }
}
