package io.cxflow.collector.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cxflow.collector.message.InvalidMessageException;
import io.cxflow.collector.message.MessageType;
import io.cxflow.collector.message.Rejection;
import io.cxflow.platform.json.Json;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.schemas.json.JsonTextException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the columns of a file become the fields of a Segment message. A JSON document:
 *
 * <pre>{@code
 * {
 *   "type": "track",                       // the message type, or {"column": "kind"} to read it per row
 *   "key": ["store", "receipt"],           // columns identifying a row: the messageId is derived from them
 *   "fields": {
 *     "userId": "customer_id",             // target path: source column
 *     "event": {"value": "Order Completed"},                 // a constant
 *     "timestamp": "sold_at",                                // ISO-8601 text
 *     "properties.revenue": {"column": "total", "as": "number"},
 *     "properties.items": {"column": "items", "as": "json"},
 *     "context.channel": {"value": "pos"}
 *   }
 * }
 * }</pre>
 *
 * Targets are {@code userId, anonymousId, messageId, event, name, category, groupId, previousId,
 * timestamp, originalTimestamp}, or a dotted path under {@code properties, traits, context, integrations}.
 * {@code as} is {@code string} (the default for CSV cells), {@code number}, {@code integer}, {@code
 * boolean} ({@code true/false/yes/no/1/0}) or {@code json} (the cell holds JSON text). An empty or missing
 * cell leaves its field out. Without {@code key}, a row's identity is its whole text, so re-importing the
 * same file yields the same messageIds (and two identical rows count as one).
 */
public final class ImportMapping {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> TOP_LEVEL = Set.of(
            "userId",
            "anonymousId",
            "messageId",
            "event",
            "name",
            "category",
            "groupId",
            "previousId",
            "timestamp",
            "originalTimestamp");
    private static final Set<String> OBJECTS = Set.of("properties", "traits", "context", "integrations");

    /** How a cell is converted. */
    enum As {
        STRING,
        NUMBER,
        INTEGER,
        BOOLEAN,
        JSON,
        /** No conversion: a CSV cell stays text, an NDJSON value keeps its JSON type. */
        KEEP
    }

    /** One target field: a column (converted) or a constant. */
    private record Field(String target, List<String> path, String column, JsonNode constant, As as) {}

    private final MessageType constantType;
    private final String typeColumn;
    private final List<String> key;
    private final List<Field> fields;

    private ImportMapping(MessageType constantType, String typeColumn, List<String> key, List<Field> fields) {
        this.constantType = constantType;
        this.typeColumn = typeColumn;
        this.key = List.copyOf(key);
        this.fields = List.copyOf(fields);
    }

    /** Reads a mapping file. */
    public static ImportMapping read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapping file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a mapping document.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ImportMapping parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a mapping is a JSON object with type, key and fields");
        }
        MessageType constantType = null;
        String typeColumn = null;
        JsonNode type = root.get("type");
        if (type == null || type.isNull()) {
            throw new IllegalArgumentException("'type' is required: a message type or {\"column\": \"...\"}");
        } else if (type.isTextual()) {
            constantType = MessageType.fromWireName(type.textValue())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "'type' must be track, identify, page, screen, group or alias, not " + type));
        } else if (type.isObject() && type.path("column").isTextual()) {
            typeColumn = type.get("column").textValue();
        } else {
            throw new IllegalArgumentException("'type' must be a message type or {\"column\": \"...\"}");
        }
        List<String> key = new ArrayList<>();
        JsonNode keyNode = root.get("key");
        if (keyNode != null && !keyNode.isNull()) {
            if (!keyNode.isArray()) {
                throw new IllegalArgumentException("'key' must be an array of column names");
            }
            for (JsonNode k : keyNode) {
                if (!k.isTextual() || k.textValue().isEmpty()) {
                    throw new IllegalArgumentException("'key' must be an array of column names");
                }
                key.add(k.textValue());
            }
        }
        JsonNode fieldsNode = root.get("fields");
        if (fieldsNode == null || !fieldsNode.isObject()) {
            throw new IllegalArgumentException("'fields' is required: an object of target path -> column");
        }
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : fieldsNode.properties()) {
            fields.add(field(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!Set.of("type", "key", "fields").contains(entry.getKey())) {
                throw new IllegalArgumentException(
                        "unknown mapping entry '" + entry.getKey() + "' (use type, key, fields)");
            }
        }
        return new ImportMapping(constantType, typeColumn, key, fields);
    }

    private static Field field(String target, JsonNode spec) {
        List<String> path = List.of(target.split("\\.", -1));
        if (path.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("target '" + target + "' has an empty path segment");
        }
        boolean valid = path.size() == 1 ? TOP_LEVEL.contains(target) : OBJECTS.contains(path.get(0));
        if (!valid) {
            throw new IllegalArgumentException("target '" + target + "' is not a message field: use one of " + TOP_LEVEL
                    + " or a path under " + OBJECTS);
        }
        if (spec.isTextual()) {
            return new Field(target, path, spec.textValue(), null, As.KEEP);
        }
        if (!spec.isObject()) {
            throw new IllegalArgumentException("field '" + target + "' must be a column name or an object");
        }
        JsonNode column = spec.get("column");
        JsonNode value = spec.get("value");
        if ((column == null) == (value == null)) {
            throw new IllegalArgumentException("field '" + target + "' needs exactly one of 'column' and 'value'");
        }
        As as = As.KEEP;
        JsonNode asNode = spec.get("as");
        if (asNode != null) {
            try {
                as = As.valueOf(asNode.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "field '" + target + "': 'as' must be string, number, integer, boolean or json", e);
            }
        }
        if (value != null) {
            return new Field(target, path, null, value, as);
        }
        if (!column.isTextual() || column.textValue().isEmpty()) {
            throw new IllegalArgumentException("field '" + target + "': 'column' must be a column name");
        }
        return new Field(target, path, column.textValue(), null, as);
    }

    /** Every column the mapping reads (type column, key columns, field columns). */
    public Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        if (typeColumn != null) {
            out.add(typeColumn);
        }
        out.addAll(key);
        for (Field f : fields) {
            if (f.column() != null) {
                out.add(f.column());
            }
        }
        return out;
    }

    /** The key columns; empty when rows are identified by their whole text. */
    public List<String> key() {
        return key;
    }

    /** Cell access of one row: the value of a column, or null when it is missing or empty. */
    interface Row {
        JsonNode cell(String column);
    }

    /** A message built from one row. */
    record Mapped(MessageType type, ObjectNode message, String rowKey) {}

    /**
     * Builds the message of a row.
     *
     * @param rawText the row's text, its identity when the mapping has no key
     * @throws InvalidMessageException naming the target field when a cell cannot be converted
     */
    Mapped map(Row row, String rawText) {
        MessageType type = constantType;
        if (type == null) {
            JsonNode t = row.cell(typeColumn);
            type = t == null ? null : MessageType.fromWireName(t.asText()).orElse(null);
            if (type == null) {
                throw new InvalidMessageException(new Rejection(
                        t == null ? Rejection.MISSING_FIELD : Rejection.INVALID_VALUE,
                        "type",
                        "column '" + typeColumn + "' must hold track, identify, page, screen, group or alias"));
            }
        }
        ObjectNode message = NODES.objectNode();
        for (Field f : fields) {
            JsonNode value = f.constant() != null ? f.constant() : row.cell(f.column());
            if (value == null || value.isNull()) {
                continue;
            }
            set(message, f.path(), convert(value, f));
        }
        String rowKey;
        if (key.isEmpty()) {
            rowKey = rawText;
        } else {
            StringBuilder sb = new StringBuilder();
            for (String k : key) {
                JsonNode v = row.cell(k);
                sb.append(v == null ? "" : v.isTextual() ? v.textValue() : v.toString())
                        .append('\u0000');
            }
            rowKey = sb.toString();
        }
        return new Mapped(type, message, rowKey);
    }

    private static JsonNode convert(JsonNode value, Field f) {
        String text = value.isTextual() ? value.textValue().strip() : null;
        try {
            return switch (f.as()) {
                case KEEP -> value;
                case STRING ->
                    value.isTextual()
                            ? value
                            : TextNode.valueOf(value.isValueNode() ? value.asText() : value.toString());
                case NUMBER -> value.isNumber() ? value : DecimalNode.valueOf(new BigDecimal(text));
                case INTEGER -> value.isIntegralNumber() ? value : BigIntegerNode.valueOf(new BigInteger(text));
                case BOOLEAN -> value.isBoolean() ? value : BooleanNode.valueOf(bool(text));
                case JSON -> value.isTextual() ? JsonText.read(text) : value;
            };
        } catch (NumberFormatException | NullPointerException | JsonTextException e) {
            throw new InvalidMessageException(new Rejection(
                    Rejection.INVALID_VALUE,
                    f.target(),
                    f.target() + " must be " + f.as().name().toLowerCase(Locale.ROOT) + " (column '" + f.column()
                            + "')"));
        }
    }

    private static boolean bool(String text) {
        return switch (Objects.requireNonNull(text).toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw new NumberFormatException("not a boolean: " + text);
        };
    }

    private static void set(ObjectNode message, List<String> path, JsonNode value) {
        ObjectNode node = message;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode child = node.get(path.get(i));
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(path.get(i));
            }
            node = (ObjectNode) child;
        }
        node.set(path.get(path.size() - 1), value);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        fields.forEach(f -> shown.put(f.target(), f.column() != null ? "column " + f.column() : "constant"));
        return "ImportMapping[type=" + (constantType != null ? constantType.wireName() : "column " + typeColumn)
                + ", key=" + key + ", fields=" + shown + "]";
    }
}
