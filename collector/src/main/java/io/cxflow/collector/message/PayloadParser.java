package io.cxflow.collector.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns request bodies into message objects. Bodies must be UTF-8 JSON; anything else is refused as a
 * whole ({@code invalid_utf8}, {@code malformed_json}, {@code limit_exceeded}). A batch is read as a
 * stream so each element keeps its exact bytes (for the rejected topic) and its own size limit: an
 * element that is too large, not an object or of an unknown type is refused alone, the rest of the batch
 * goes on.
 */
public final class PayloadParser {

    public static final String LIMIT_EXCEEDED = "limit_exceeded";

    private final ObjectMapper mapper;
    /** Reads one value out of a stream that goes on after it. */
    private final ObjectReader streamReader;

    /**
     * @param limits the parsing limits; depth is checked by the streaming parser before any tree is built,
     *     so a body of 100,000 nested arrays is refused after {@code maxNestingDepth} levels without deep
     *     recursion
     */
    public PayloadParser(Json.Limits limits) {
        ObjectMapper m = Json.newMapper(limits);
        // numbers keep their exact decimal value and scale (1.10 stays 1.10), as JsonText stores them
        m.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        m.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        this.mapper = m;
        this.streamReader = m.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A single message: the body must be one JSON object. */
    public ObjectNode single(byte[] body) {
        checkUtf8(body);
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw malformed(e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidMessageException(new Rejection(Rejection.MALFORMED_JSON, null, "the body is empty"));
        }
        if (!node.isObject()) {
            throw new InvalidMessageException(
                    new Rejection(Rejection.INVALID_TYPE, null, "the body must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    /**
     * A batch: {@code {"batch": [...], "context": {...}, "integrations": {...}, "sentAt": "...", "writeKey":
     * "..."}}.
     *
     * @param maxMessageBytes the largest element accepted
     */
    public Batch batch(byte[] body, int maxMessageBytes) {
        checkUtf8(body);
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidMessageException(
                        new Rejection(Rejection.INVALID_TYPE, null, "the body must be a JSON object"));
            }
            List<Item> items = null;
            ObjectNode context = null;
            ObjectNode integrations = null;
            Instant sentAt = null;
            String writeKey = null;
            ObjectNode top = mapper.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "batch" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new InvalidMessageException(Rejection.invalidType("batch", "an array of messages"));
                        }
                        items = elements(p, body, maxMessageBytes);
                    }
                    case "context", "integrations", "sentAt", "writeKey" -> top.set(name, tree(p));
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidMessageException(
                        new Rejection(Rejection.MALFORMED_JSON, null, "unexpected content after the JSON object"));
            }
            if (items == null) {
                throw new InvalidMessageException(Rejection.missing("batch", "batch is required"));
            }
            context = EventMapper.object(top, "context");
            integrations = EventMapper.object(top, "integrations");
            sentAt = EventMapper.timestamp(top, "sentAt");
            JsonNode key = top.get("writeKey");
            if (key != null && !key.isNull()) {
                if (!key.isTextual()) {
                    throw new InvalidMessageException(Rejection.invalidType("writeKey", "a string"));
                }
                writeKey = key.textValue();
            }
            return new Batch(items, context, integrations, sentAt, writeKey);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private List<Item> elements(JsonParser p, byte[] body, int maxMessageBytes) throws IOException {
        List<Item> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new InvalidMessageException(
                        new Rejection(Rejection.MALFORMED_JSON, "batch", "the batch array is not closed"));
            }
            int index = items.size();
            int start = (int) p.currentTokenLocation().getByteOffset();
            JsonNode node = tree(p);
            int end = (int) p.currentLocation().getByteOffset();
            byte[] raw = Arrays.copyOfRange(body, start, Math.max(start, end));
            String field = "batch[" + index + "]";
            if (raw.length > maxMessageBytes) {
                items.add(Item.rejected(
                        index,
                        raw,
                        new Rejection(
                                Rejection.MESSAGE_TOO_LARGE,
                                field,
                                "message is " + raw.length + " bytes, more than the " + maxMessageBytes + " allowed")));
            } else if (!node.isObject()) {
                items.add(Item.rejected(index, raw, Rejection.invalidType(field, "an object")));
            } else {
                JsonNode type = node.get("type");
                Optional<MessageType> resolved = type != null && type.isTextual()
                        ? MessageType.fromWireName(type.textValue())
                        : Optional.empty();
                if (type == null || type.isNull()) {
                    items.add(Item.rejected(index, raw, Rejection.missing("type", "type is required in a batch")));
                } else if (resolved.isEmpty()) {
                    items.add(Item.rejected(
                            index,
                            raw,
                            new Rejection(
                                    Rejection.INVALID_VALUE,
                                    "type",
                                    "type must be one of track, identify, page, screen, group, alias")));
                } else {
                    items.add(new Item(index, raw, (ObjectNode) node, resolved.get(), null));
                }
            }
        }
        return items;
    }

    private JsonNode tree(JsonParser p) throws IOException {
        JsonNode node = streamReader.readTree(p);
        return node == null ? NullNode.getInstance() : node;
    }

    private static void checkUtf8(byte[] body) {
        int bad = Utf8.firstInvalid(body, 0, body.length);
        if (bad >= 0) {
            throw new InvalidMessageException(new Rejection(
                    Rejection.INVALID_UTF8, null, "the body is not valid UTF-8 (byte offset " + bad + ")"));
        }
    }

    private static InvalidMessageException malformed(IOException e) {
        if (e instanceof StreamConstraintsException sce) {
            return new InvalidMessageException(new Rejection(LIMIT_EXCEEDED, null, sce.getOriginalMessage()));
        }
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new InvalidMessageException(new Rejection(Rejection.MALFORMED_JSON, null, "malformed JSON: " + detail));
    }

    /**
     * A parsed batch.
     *
     * @param items every element, in order, accepted for mapping or already rejected
     * @param context the batch-level context (may be null)
     * @param integrations the batch-level integrations (may be null)
     * @param sentAt the batch-level sentAt (may be null)
     * @param writeKey the batch-level write key (may be null)
     */
    public record Batch(
            List<Item> items, ObjectNode context, ObjectNode integrations, Instant sentAt, String writeKey) {}

    /**
     * One batch element.
     *
     * @param index its position in the batch
     * @param raw its bytes as received
     * @param message the element when it is a well-formed message object, else null
     * @param type its type when {@code message} is set
     * @param rejection why it was refused, or null
     */
    public record Item(int index, byte[] raw, ObjectNode message, MessageType type, Rejection rejection) {

        public Item {
            Objects.requireNonNull(raw, "raw");
        }

        static Item rejected(int index, byte[] raw, Rejection rejection) {
            return new Item(index, raw, null, null, rejection);
        }
    }
}
