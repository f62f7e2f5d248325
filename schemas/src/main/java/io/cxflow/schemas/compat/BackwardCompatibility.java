package io.cxflow.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * BACKWARD compatibility of a schema change: can a reader using the current schema read every record
 * written with a released one? Decided by Avro's {@link SchemaCompatibility#checkReaderWriterCompatibility}
 * with {@code reader = current} and {@code writer = released}, the rule the schema registry applies when a
 * new version is registered.
 *
 * <p>Each incompatibility is reported with the field path in the current schema. Where Avro stops at a
 * union ("reader union lacking writer type: RECORD", e.g. a change inside the nullable {@code context}),
 * the matching record branches are compared too, so the report names the field inside the record.
 */
public final class BackwardCompatibility {

    private static final int MAX_UNION_DRILL_DEPTH = 32;

    private BackwardCompatibility() {}

    /**
     * @param schemaName the record's simple name, for the report
     * @param version the released version, for the report
     * @param current the reader schema
     * @param released the writer schema
     * @return every incompatibility; empty when {@code current} can read data written with {@code released}
     */
    public static List<CompatibilityProblem> check(String schemaName, int version, Schema current, Schema released) {
        List<CompatibilityProblem> problems = new ArrayList<>();
        collect(schemaName, version, current, released, "", "", 0, problems);
        return problems;
    }

    private static void collect(
            String schemaName,
            int version,
            Schema reader,
            Schema writer,
            String pathPrefix,
            String locationPrefix,
            int drillDepth,
            List<CompatibilityProblem> out) {
        List<Incompatibility> incompatibilities = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult()
                .getIncompatibilities();
        for (Incompatibility incompatibility : incompatibilities) {
            String location = locationPrefix + incompatibility.getLocation();
            String path = join(pathPrefix, fieldPath(reader, incompatibility.getLocation()));
            if (incompatibility.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH
                    && drillDepth < MAX_UNION_DRILL_DEPTH) {
                Schema writerBranch = writerBranch(incompatibility);
                Schema readerBranch = sameNamedBranch(incompatibility.getReaderFragment(), writerBranch);
                if (readerBranch != null) {
                    collect(schemaName, version, readerBranch, writerBranch, path, location, drillDepth + 1, out);
                    continue;
                }
            }
            out.add(new CompatibilityProblem(
                    schemaName,
                    version,
                    path,
                    location,
                    incompatibility.getType().name(),
                    incompatibility.getMessage()));
        }
    }

    /**
     * The writer type the reader union lacks. Avro reports the whole writer union as the fragment when the
     * writer is a union; the last token of the location is then the index of the branch.
     */
    private static Schema writerBranch(Incompatibility incompatibility) {
        Schema writer = incompatibility.getWriterFragment();
        if (writer == null || writer.getType() != Schema.Type.UNION) {
            return writer;
        }
        String location = incompatibility.getLocation();
        int index = parseIndex(location.substring(location.lastIndexOf('/') + 1));
        return index >= 0 && index < writer.getTypes().size()
                ? writer.getTypes().get(index)
                : null;
    }

    /** The reader union's branch with the writer's named type's full name, if any. */
    private static Schema sameNamedBranch(Schema readerUnion, Schema writerBranch) {
        if (readerUnion == null || writerBranch == null || readerUnion.getType() != Schema.Type.UNION) {
            return null;
        }
        Schema.Type type = writerBranch.getType();
        if (type != Schema.Type.RECORD && type != Schema.Type.ENUM && type != Schema.Type.FIXED) {
            return null;
        }
        for (Schema branch : readerUnion.getTypes()) {
            if (branch.getType() == type
                    && (branch.getFullName().equals(writerBranch.getFullName())
                            || branch.getAliases().contains(writerBranch.getFullName()))) {
                return branch;
            }
        }
        return null;
    }

    /**
     * Translates Avro's location ({@code /fields/13/type/1}, a pointer whose field indexes are the
     * reader's) into field names ({@code context}). Union indexes in a location are the writer's branches
     * and are skipped; {@code items} and {@code values} append {@code []} and <code>{}</code>.
     */
    static String fieldPath(Schema reader, String location) {
        String[] tokens = location.split("/", -1);
        StringBuilder path = new StringBuilder();
        Schema schema = reader;
        for (int i = 0; i < tokens.length && schema != null; i++) {
            String token = tokens[i];
            switch (token) {
                case "fields" -> {
                    if (i + 1 >= tokens.length || schema.getType() != Schema.Type.RECORD) {
                        return path.toString();
                    }
                    int index = parseIndex(tokens[++i]);
                    if (index < 0 || index >= schema.getFields().size()) {
                        return path.toString();
                    }
                    Schema.Field field = schema.getFields().get(index);
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(field.name());
                    schema = field.schema();
                }
                case "items" -> {
                    path.append("[]");
                    schema = schema.getType() == Schema.Type.ARRAY ? schema.getElementType() : null;
                }
                case "values" -> {
                    path.append("{}");
                    schema = schema.getType() == Schema.Type.MAP ? schema.getValueType() : null;
                }
                case "symbols", "size", "name" -> {
                    return path.toString();
                }
                default -> {
                    // "", "type" and writer union branch indexes do not move in the reader schema
                }
            }
        }
        return path.toString();
    }

    private static int parseIndex(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return prefix;
        }
        return path.startsWith("[") || path.startsWith("{") ? prefix + path : prefix + "." + path;
    }
}
