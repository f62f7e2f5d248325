package io.cxflow.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes JSON text losslessly under explicit limits. {@link JsonText} is the instance every
 * module uses for the JSON-text fields of the Avro records; build another one only for other limits.
 *
 * <h2>What "lossless" means</h2>
 *
 * Value-preserving, not byte-preserving: {@code read(write(tree))} is the same JSON value as {@code
 * tree}, and for any text {@code t} this codec accepts, {@code read(write(read(t))).equals(read(t))} and
 * {@code write(read(write(x))).equals(write(x))} (canonical text is a fixed point). "The same JSON value"
 * means:
 *
 * <ul>
 *   <li><b>Objects</b> have the same keys in the same order (the order they were received or inserted;
 *       keys are never sorted) with the same values. A key that occurs twice in one object is refused on
 *       read, because no single value could preserve both.
 *   <li><b>Strings</b> have the same UTF-16 code units: every character, including surrogate pairs
 *       (emoji), right-to-left text, control characters and unpaired surrogates. Writing escapes {@code "}
 *       , {@code \}, control characters below U+0020 and unpaired surrogates, and nothing else, so the
 *       text survives UTF-8 (Avro strings) exactly.
 *   <li><b>Numbers</b> keep their exact decimal value and scale, and whether they were integers or
 *       decimals: an integer literal ({@code 42}, {@code 123456789012345678901234567890}) reads as an
 *       integer node of any size; a literal with a fraction or an exponent reads as a {@link BigDecimal}
 *       exactly as written, trailing zeros kept ({@code 1.10} stays {@code 1.10} and differs from {@code
 *       1.1}; {@code 1e400} stays 1E+400; {@code 0.1} is not a binary approximation). Decimals are written
 *       in {@link BigDecimal#toString()} form ({@code 1e400} is written {@code 1E+400}), with {@code E0}
 *       appended when the scale is 0 ({@code 1.5e1} is written {@code 15E0}) so it stays a decimal.
 *   <li><b>Negative zero</b> in any spelling ({@code -0}, {@code -0.0}, {@code -0e5}) reads as the IEEE
 *       double -0.0 and is written {@code -0.0}: the sign is kept, the scale of a zero is not.
 *   <li><b>Doubles and floats</b> in a tree built by a caller are written in their shortest round-trip
 *       form ({@link Double#toString(double)}) and read back as that decimal; converting it back gives
 *       the same double. NaN and infinities are not JSON and are refused.
 *   <li>{@code null}, {@code true}, {@code false}, empty objects and empty arrays are kept, also inside
 *       arrays.
 * </ul>
 *
 * Two trees are the same value exactly when their canonical texts are equal; compare texts (or scales)
 * to tell {@code 1.10} from {@code 1.1}, because Jackson's {@link JsonNode#equals} compares decimals by
 * numeric value only. Integer node width is not part of the value: a {@code LongNode(5)} written and read back is an {@code
 * IntNode(5)}. Binary, POJO and missing nodes are not JSON values and are refused on write.
 *
 * <h2>Canonical text</h2>
 *
 * No whitespace outside strings; keys in tree order; the escapes listed above ({@code \b \f \n \r \t} for
 * those controls, a six-character escape with four lower-case hex digits otherwise); every other character written as itself.
 */
public final class JsonCodec {

    /** The largest nesting depth a codec can be configured for. */
    public static final int MAX_SUPPORTED_DEPTH = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final DoubleNode NEGATIVE_ZERO = DoubleNode.valueOf(-0.0d);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * The limits a codec reads (and writes) under. Depth counts nested objects and arrays: {@code {}} has
     * depth 1, {@code {"a":[1]}} depth 2.
     *
     * @param maxDepth deepest nesting of objects and arrays, 1 to {@value #MAX_SUPPORTED_DEPTH}
     * @param maxStringLength longest string value, in characters
     * @param maxNameLength longest object key, in characters
     * @param maxNumberLength longest number literal, in characters
     * @param maxScale largest magnitude of a decimal's scale, i.e. how far its exponent may move the
     *     decimal point ({@code 1e400} has scale -400); bounds the cost of arithmetic on stored numbers
     * @param maxDocumentLength longest text, in characters (bytes for {@link #read(byte[])})
     */
    public record Limits(
            int maxDepth,
            int maxStringLength,
            int maxNameLength,
            int maxNumberLength,
            int maxScale,
            long maxDocumentLength) {

        public Limits {
            if (maxDepth < 1 || maxDepth > MAX_SUPPORTED_DEPTH) {
                throw new IllegalArgumentException(
                        "maxDepth must be between 1 and " + MAX_SUPPORTED_DEPTH + ": " + maxDepth);
            }
            if (maxStringLength < 1
                    || maxNameLength < 1
                    || maxNumberLength < 1
                    || maxScale < 0
                    || maxDocumentLength < 1) {
                throw new IllegalArgumentException("JSON limits must be positive: " + this);
            }
        }

        /**
         * The limits for documents stored in Avro records: depth 64, strings and documents up to 16 MiB
         * characters, keys up to 50,000 characters, numbers up to 1,000 characters and scale magnitude
         * 10,000. A stored document is a part of a message (its {@code properties}, {@code traits} …), so
         * an edge that accepts messages nested up to depth 65 stores nothing this codec cannot read.
         */
        public static Limits stored() {
            return new Limits(64, 16 * 1024 * 1024, 50_000, 1_000, 10_000, 16L * 1024 * 1024);
        }

        public Limits withMaxDepth(int depth) {
            return new Limits(depth, maxStringLength, maxNameLength, maxNumberLength, maxScale, maxDocumentLength);
        }
    }

    private final Limits limits;
    private final JsonFactory factory;

    private JsonCodec(Limits limits) {
        this.limits = limits;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNameLength(limits.maxNameLength())
                        .maxNumberLength(limits.maxNumberLength())
                        .maxDocumentLength(limits.maxDocumentLength())
                        .build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    public static JsonCodec of(Limits limits) {
        return new JsonCodec(Objects.requireNonNull(limits, "limits"));
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Parses exactly one JSON value (surrounding whitespace allowed).
     *
     * @throws JsonTextException when the text is not one valid JSON value, repeats a key within an object,
     *     or is beyond a limit
     */
    public JsonNode read(String text) {
        Objects.requireNonNull(text, "text");
        try (JsonParser parser = factory.createParser(text)) {
            return readRoot(parser);
        } catch (IOException e) {
            throw refused(e, null);
        }
    }

    /**
     * Parses exactly one JSON value from UTF-8 bytes; malformed UTF-8 is refused.
     *
     * @throws JsonTextException as {@link #read(String)}
     */
    public JsonNode read(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        try (JsonParser parser = factory.createParser(utf8)) {
            return readRoot(parser);
        } catch (IOException e) {
            throw refused(e, null);
        }
    }

    /**
     * Parses a JSON object; {@code null} or {@code ""} give a new empty object.
     *
     * @throws JsonTextException when the text is not valid or holds another kind of value
     */
    public ObjectNode readObject(String text) {
        if (text == null || text.isEmpty()) {
            return NODES.objectNode();
        }
        JsonNode value = read(text);
        if (!value.isObject()) {
            throw new JsonTextException("expected a JSON object but the text holds "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return (ObjectNode) value;
    }

    /**
     * The canonical text of a JSON value (see the class comment).
     *
     * @throws JsonTextException when the tree nests deeper than {@link Limits#maxDepth()} (its text could
     *     not be read back) or holds a node that is not plain JSON
     */
    public String write(JsonNode value) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder(128);
        write(value, out, 0);
        return out.toString();
    }

    // ---- reading

    private JsonNode readRoot(JsonParser parser) {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonTextException("no JSON value: the text is empty or only whitespace");
            }
            JsonNode root = value(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonTextException(
                        "trailing content after the JSON value at " + where(parser.currentTokenLocation()));
            }
            return root;
        } catch (IOException e) {
            throw refused(e, parser.currentLocation());
        }
    }

    private JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> integer(parser);
            case VALUE_NUMBER_FLOAT -> decimal(parser);
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default ->
                throw new JsonTextException("unexpected " + token + " at " + where(parser.currentTokenLocation()));
        };
    }

    private ObjectNode object(JsonParser parser) throws IOException {
        ObjectNode object = NODES.objectNode();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            JsonNode value = value(parser, parser.nextToken());
            if (object.has(name)) {
                throw new JsonTextException(
                        "duplicate key in an object at " + where(at) + ": a key may occur only once per object");
            }
            object.set(name, value);
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonTextException("unexpected " + token + " at " + where(parser.currentTokenLocation()));
        }
        return object;
    }

    private ArrayNode array(JsonParser parser) throws IOException {
        ArrayNode array = NODES.arrayNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new JsonTextException("unexpected end of input inside an array");
            }
            array.add(value(parser, token));
        }
        return array;
    }

    private JsonNode integer(JsonParser parser) throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> {
                int v = parser.getIntValue();
                yield v == 0 && negative(parser) ? NEGATIVE_ZERO : IntNode.valueOf(v);
            }
            case LONG -> LongNode.valueOf(parser.getLongValue());
            default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
        };
    }

    private JsonNode decimal(JsonParser parser) throws IOException {
        BigDecimal value;
        try {
            value = parser.getDecimalValue();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonTextException(
                    "number out of range at " + where(parser.currentTokenLocation()) + ": its exponent is too large");
        }
        if (value.signum() == 0 && negative(parser)) {
            return NEGATIVE_ZERO;
        }
        if (Math.abs((long) value.scale()) > limits.maxScale()) {
            throw new JsonTextException("number at " + where(parser.currentTokenLocation()) + " has scale "
                    + value.scale() + ", beyond the limit of " + limits.maxScale() + " in magnitude");
        }
        return DecimalNode.valueOf(value);
    }

    private static boolean negative(JsonParser parser) throws IOException {
        return parser.getTextLength() > 0 && parser.getTextCharacters()[parser.getTextOffset()] == '-';
    }

    private static JsonTextException refused(IOException e, JsonLocation parserLocation) {
        JsonLocation at =
                e instanceof JsonProcessingException p && p.getLocation() != null ? p.getLocation() : parserLocation;
        if (e instanceof StreamConstraintsException limit) {
            return new JsonTextException(
                    "JSON text beyond a limit at " + where(at) + ": " + limit.getOriginalMessage());
        }
        if (e instanceof JsonEOFException) {
            return new JsonTextException("not valid JSON: unexpected end of input at " + where(at));
        }
        if (e instanceof JsonProcessingException parse) {
            return new JsonTextException("not valid JSON at " + where(at) + ": " + reason(parse.getOriginalMessage()));
        }
        return new JsonTextException("cannot read JSON text", new UncheckedIOException(e));
    }

    /**
     * The parser's reason without any part of the input: its messages quote the offending token or
     * character ({@code Unrecognized token 'ann': ...}), which may be personal data, so the message is cut
     * before the first quote. The cause is not kept for the same reason.
     */
    static String reason(String parserMessage) {
        if (parserMessage == null) {
            return "syntax error";
        }
        int quote = parserMessage.indexOf('\'');
        String reason = quote < 0 ? parserMessage : parserMessage.substring(0, quote);
        reason = reason.replaceAll("[\\s(:]+$", "");
        return reason.isEmpty() ? "syntax error" : reason;
    }

    private static String where(JsonLocation location) {
        if (location == null) {
            return "an unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // ---- writing

    private void write(JsonNode node, StringBuilder out, int depth) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                checkDepth(depth + 1);
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(field.getKey(), out);
                    out.append(':');
                    write(field.getValue(), out, depth + 1);
                }
                out.append('}');
            }
            case ARRAY -> {
                checkDepth(depth + 1);
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out, depth + 1);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> number(node, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case BINARY, POJO, MISSING ->
                throw new JsonTextException("a "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                        + " node is not a JSON value and cannot be written as JSON text");
        }
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw new JsonTextException("the JSON tree nests deeper than the limit of " + limits.maxDepth()
                    + " objects and arrays; its text could not be read back");
        }
    }

    private static void number(JsonNode node, StringBuilder out) {
        switch (node.numberType()) {
            case INT, LONG -> out.append(node.longValue());
            case BIG_INTEGER -> out.append(node.bigIntegerValue());
            case BIG_DECIMAL -> {
                BigDecimal value = node.decimalValue();
                out.append(value);
                if (value.scale() == 0) {
                    out.append("E0");
                }
            }
            case FLOAT -> {
                float value = node.floatValue();
                if (!Float.isFinite(value)) {
                    throw nonFinite();
                }
                out.append(value);
            }
            case DOUBLE -> {
                double value = node.doubleValue();
                if (!Double.isFinite(value)) {
                    throw nonFinite();
                }
                out.append(value);
            }
        }
    }

    private static JsonTextException nonFinite() {
        return new JsonTextException("NaN and infinite numbers are not JSON values and cannot be written");
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escape(c, out);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < length
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(i + 1));
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        escape(c, out); // unpaired: UTF-8 cannot carry it, the escape can
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void escape(char c, StringBuilder out) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}
