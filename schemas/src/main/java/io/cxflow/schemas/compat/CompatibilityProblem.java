package io.cxflow.schemas.compat;

import java.util.Objects;

/**
 * One reason a schema change would break readers, found by {@link BackwardCompatibility} or {@link
 * SchemaReleases#problems}.
 *
 * @param schema the record's simple name, e.g. {@code TouchpointEvent}
 * @param version the released version checked against, or 0 when the problem concerns no one version
 * @param path the field path in the current schema, e.g. {@code context.location.latitude} ({@code []} marks
 *     array items, <code>{}</code> map values); empty for the record itself
 * @param location Avro's location of the incompatibility (a JSON pointer into the schemas), or empty
 * @param kind Avro's incompatibility type (e.g. {@code READER_FIELD_MISSING_DEFAULT_VALUE}, {@code
 *     TYPE_MISMATCH}), or {@link #SCHEMA_REMOVED}, {@link #NOT_RELEASED}, {@link #INVALID_RELEASE}
 * @param message what is wrong
 */
public record CompatibilityProblem(
        String schema, int version, String path, String location, String kind, String message) {

    /** A released schema has no current schema: readers of the topic would lose their type. */
    public static final String SCHEMA_REMOVED = "SCHEMA_REMOVED";

    /** A current schema has no released version yet: nothing guards its compatibility. */
    public static final String NOT_RELEASED = "NOT_RELEASED";

    /** The released-schema directory is not laid out as {@code <RecordName>/v<N>.avsc}, v1 to vN. */
    public static final String INVALID_RELEASE = "INVALID_RELEASE";

    public CompatibilityProblem {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** One line naming the schema, the version, the field and the reason. */
    public String describe() {
        StringBuilder s = new StringBuilder(schema);
        if (version > 0) {
            s.append(" v").append(version);
        }
        s.append(": ");
        if (!path.isEmpty()) {
            s.append("field '").append(path).append("' ");
        }
        if (!location.isEmpty()) {
            s.append("(at ").append(location).append(") ");
        }
        return s.append(kind).append(": ").append(message).toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
