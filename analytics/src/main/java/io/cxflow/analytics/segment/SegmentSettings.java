package io.cxflow.analytics.segment;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The segments the topology evaluates, in evaluation order.
 *
 * @param segments the segments; ids are unique
 * @param incremental whether a profile change re-evaluates only the conditions that read something it
 *     changed, the others keeping their earlier answer (the default); {@code false} evaluates every
 *     condition on every change, with the same answers at a higher cost
 */
public record SegmentSettings(List<Segment> segments, boolean incremental) {

    /** The segments, evaluated incrementally. */
    public SegmentSettings(List<Segment> segments) {
        this(segments, true);
    }

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

    /** The same segments, with every condition evaluated on every change or only those whose inputs changed. */
    public SegmentSettings withIncremental(boolean incremental) {
        return new SegmentSettings(segments, incremental);
    }
}
