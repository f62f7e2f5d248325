package io.cxflow.analytics.identity.internal;

import java.util.Comparator;
import java.util.Objects;

/**
 * The position of a link in the canonical order the grouping rules are applied in: event time, then
 * source and message id (a total order over events), then the priority of the linked identifier's type
 * (the links of one event). For a pair of identifiers seen together more than once, the smallest
 * counts.
 */
public record LinkOrder(long time, String sourceId, String messageId, int priority) implements Comparable<LinkOrder> {

    private static final Comparator<LinkOrder> ORDER = Comparator.comparingLong(LinkOrder::time)
            .thenComparing(LinkOrder::sourceId)
            .thenComparing(LinkOrder::messageId)
            .thenComparingInt(LinkOrder::priority);

    public LinkOrder {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(messageId, "messageId");
    }

    @Override
    public int compareTo(LinkOrder other) {
        return ORDER.compare(this, other);
    }

    /** Whether this order comes strictly before {@code other} ({@code null} counts as never seen). */
    public boolean before(LinkOrder other) {
        return other == null || compareTo(other) < 0;
    }
}
