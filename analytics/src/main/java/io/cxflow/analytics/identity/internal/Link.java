package io.cxflow.analytics.identity.internal;

import java.util.Objects;

/**
 * Two identifiers seen together: {@code from} is the event's routing identifier, {@code to} another
 * identifier of the same event (or, for an alias, the previous id).
 *
 * @param from identifier key {@code type:value}
 * @param to identifier key {@code type:value}
 * @param order where the link sits in the canonical order
 * @param alias whether it comes from an {@code alias} call (which may join two users)
 */
public record Link(String from, String to, LinkOrder order, boolean alias) {

    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(order, "order");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link needs two different identifiers: " + from);
        }
    }
}
