package io.cxflow.analytics.identity.internal;

import io.cxflow.avro.IdentityLink;
import java.util.List;

/**
 * What the identity graph emits for one change; exactly one of the fields is set.
 *
 * @param assignment a routing identifier now belongs to another customer (key: the routing value, as
 *     the events are keyed)
 * @param members a customer's identifiers (key: the customer id); {@code null} list when the customer
 *     no longer exists
 * @param link a record for {@code cx.identity-links.v1} (key: the identifier or the absorbed customer
 *     id)
 */
public record IdentityOutput(Assignment assignment, Members members, IdentityLink link) {

    /** {@code routingKey} ({@code type:value}) belongs to {@code customerId}. */
    public record Assignment(String routingKey, String customerId) {}

    /** The identifiers of a customer; {@code null} when the customer was absorbed or split away. */
    public record Members(List<String> identifiers) {}

    public static IdentityOutput of(Assignment assignment) {
        return new IdentityOutput(assignment, null, null);
    }

    public static IdentityOutput of(Members members) {
        return new IdentityOutput(null, members, null);
    }

    public static IdentityOutput of(IdentityLink link) {
        return new IdentityOutput(null, null, link);
    }
}
