package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.Link;
import io.cxflow.avro.RejectedEvent;

/** What a routing task emits: a rejection, a link for the identity graph, or a customer op. One is set. */
public record RoutingOutput(RejectedEvent rejection, Link link, CustomerOp op) {

    public static RoutingOutput of(RejectedEvent rejection) {
        return new RoutingOutput(rejection, null, null);
    }

    public static RoutingOutput of(Link link) {
        return new RoutingOutput(null, link, null);
    }

    public static RoutingOutput of(CustomerOp op) {
        return new RoutingOutput(null, null, op);
    }
}
