package io.cxflow.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one codec for the JSON-text fields of the Avro records: {@code properties}, {@code traits},
 * {@code integrations}, {@code Context.traits}, {@code Context.extra} and {@code TraitValue.value}.
 *
 * <p>Every producer writes these fields with {@link #write(JsonNode)} and every consumer reads them with
 * {@link #read(String)} or {@link #readObject(String)}, under the {@linkplain JsonCodec.Limits#stored()
 * limits for stored documents} (nesting depth 64). The round trip is lossless in the sense spelled out
 * on {@link JsonCodec}: the same JSON value comes back, key order and exact numbers included.
 *
 * <pre>{@code
 * event.setProperties(JsonText.write(properties));          // ObjectNode -> canonical text
 * ObjectNode props = JsonText.readObject(event.getProperties()); // null -> {}
 * }</pre>
 *
 * For other limits (for example a request body at the edge) build a {@link JsonCodec} with {@link
 * JsonCodec#of(JsonCodec.Limits)}.
 */
public final class JsonText {

    private static final JsonCodec STORED = JsonCodec.of(JsonCodec.Limits.stored());

    private JsonText() {}

    /** The codec behind the static methods: {@link JsonCodec.Limits#stored()}. */
    public static JsonCodec codec() {
        return STORED;
    }

    /**
     * The canonical text of a JSON value: key order as in the tree, no insignificant whitespace, exact
     * numbers.
     *
     * @throws JsonTextException when the tree is deeper than 64 or holds something that is not plain JSON
     *     (a non-finite number, binary, a POJO, a missing node)
     */
    public static String write(JsonNode value) {
        return STORED.write(value);
    }

    /**
     * Parses one JSON value.
     *
     * @throws JsonTextException when the text is not exactly one valid JSON value, repeats a key within an
     *     object, or is beyond a limit (nesting deeper than 64 …)
     */
    public static JsonNode read(String text) {
        return STORED.read(text);
    }

    /**
     * Parses a JSON object; {@code null} or the empty string give a new empty object (the Avro fields are
     * null when the client sent no object).
     *
     * @throws JsonTextException when the text is not valid (see {@link #read(String)}) or holds another
     *     kind of value than an object
     */
    public static ObjectNode readObject(String text) {
        return STORED.readObject(text);
    }
}
