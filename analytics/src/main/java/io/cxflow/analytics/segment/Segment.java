package io.cxflow.analytics.segment;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A segment: customers for whom the condition holds.
 *
 * @param id stable id, {@code [a-z0-9][a-z0-9-]{0,62}} (it can name the topic {@code cx.segment.<id>.v1})
 * @param name human-readable name
 * @param condition compiled condition over {@code profile}
 * @param version definition version, carried on every membership change
 */
public record Segment(String id, String name, SegmentCondition condition, long version) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Segment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("segment id must match " + ID.pattern() + ": " + id);
        }
        if (version < 1) {
            throw new IllegalArgumentException("segment version must be >= 1: " + version);
        }
    }

    /** A segment of version 1 named by its id, compiling {@code condition}. */
    public static Segment of(String id, String condition) {
        return new Segment(id, id, SegmentCondition.compile(condition), 1);
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
