package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.segment.SegmentCondition;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Compiles conditions as the running topology does: with the numeric properties its rolling history sums,
 * so that a condition the API accepts is one the topology evaluates.
 */
final class Conditions {

    private final List<String> summedProperties;

    Conditions(Collection<String> summedProperties) {
        this.summedProperties = List.copyOf(Objects.requireNonNull(summedProperties, "summedProperties"));
    }

    /** @throws io.cxflow.analytics.segment.InvalidConditionException with the position of the first problem */
    SegmentCondition compile(String expression) {
        return SegmentCondition.compile(expression, summedProperties);
    }
}
