package io.cxflow.analytics.segment;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The segments the topology evaluates, in evaluation order.
 *
 * @param segments the segments; ids are unique
 */
public record SegmentSettings(List<Segment> segments) {

    public SegmentSettings {
        segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
        Set<String> ids = new HashSet<>();
        for (Segment segment : segments) {
            if (!ids.add(segment.id())) {
                throw new IllegalArgumentException("segment id defined twice: " + segment.id());
            }
        }
    }

    public static SegmentSettings of(Segment... segments) {
        return new SegmentSettings(List.of(segments));
    }
}
