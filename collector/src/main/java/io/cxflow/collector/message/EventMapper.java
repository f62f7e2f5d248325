package io.cxflow.collector.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.source.Channels;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.schemas.json.JsonTextException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Validates one Segment-spec message and maps it to the {@link TouchpointEvent} published on {@code
 * cx.events.v1}.
 *
 * <p>Rules (a broken rule throws {@link InvalidMessageException} naming the field):
 *
 * <ul>
 *   <li>{@code userId} or {@code anonymousId} is required (a non-empty string; an integer is accepted and
 *       kept as its decimal text).
 *   <li>track needs {@code event}; alias needs {@code previousId} and {@code userId}; group needs {@code
 *       groupId}.
 *   <li>{@code properties}, {@code traits}, {@code context} and {@code integrations} are objects when
 *       present; {@code event}, {@code name}, {@code category} and {@code messageId} are strings; {@code
 *       timestamp}, {@code originalTimestamp} and {@code sentAt} are ISO-8601 strings.
 * </ul>
 *
 * <p>Server-owned fields are set whatever the client sent: {@code sourceId}, {@code channel} (see {@link
 * Channels#resolve}), {@code receivedAt}, {@code context.ip} (unless the client sent one), {@code
 * messageId} (a random UUID when absent) and {@code timestamp} (see {@link EventTime}). Top-level keys
 * outside the Segment spec are not kept.
 */
public final class EventMapper {

    /** Longest accepted {@code messageId}. */
    public static final int MAX_MESSAGE_ID_LENGTH = 256;

    private EventMapper() {}

    /**
     * @param message the message object
     * @param type the message type (from the endpoint, or the message's {@code type} in a batch)
     * @param envelope what the server knows about the request
     */
    public static TouchpointEvent map(ObjectNode message, MessageType type, Envelope envelope) {
        try {
            return mapChecked(message, type, envelope);
        } catch (JsonTextException e) {
            throw new InvalidMessageException(
                    new Rejection(Rejection.INVALID_VALUE, null, "a JSON value cannot be stored: " + e.getMessage()));
        }
    }

    private static TouchpointEvent mapChecked(ObjectNode message, MessageType type, Envelope envelope) {
        String userId = identity(message, "userId");
        String anonymousId = identity(message, "anonymousId");
        if (userId == null && anonymousId == null) {
            throw new InvalidMessageException(Rejection.missing("userId", "userId or anonymousId is required"));
        }
        TouchpointEvent.Builder event = TouchpointEvent.newBuilder()
                .setType(type.avro())
                .setSourceId(envelope.source().id())
                .setUserId(userId)
                .setAnonymousId(anonymousId)
                .setReceivedAt(EventTime.millis(envelope.receivedAt()));

        switch (type) {
            case TRACK -> event.setEvent(requiredText(message, "event", "track needs an event name"));
            case ALIAS -> {
                event.setPreviousId(required(identity(message, "previousId"), "previousId", "alias needs previousId"));
                required(userId, "userId", "alias needs userId");
            }
            case GROUP -> event.setGroupId(required(identity(message, "groupId"), "groupId", "group needs groupId"));
            case PAGE -> {
                event.setName(optionalText(message, "name"));
                event.setCategory(optionalText(message, "category"));
            }
            case SCREEN -> event.setName(optionalText(message, "name"));
            case IDENTIFY -> {}
        }
        if (type != MessageType.ALIAS) {
            event.setPreviousId(identity(message, "previousId"));
        }
        if (type != MessageType.GROUP) {
            event.setGroupId(identity(message, "groupId"));
        }
        if (type != MessageType.TRACK) {
            event.setEvent(optionalText(message, "event"));
        }

        event.setProperties(objectText(message, "properties"));
        event.setTraits(objectText(message, "traits"));
        ObjectNode context = merged(envelope.batchContext(), object(message, "context"));
        event.setContext(ContextMapper.map(context, envelope.clientIp()));
        ObjectNode integrations = merged(envelope.batchIntegrations(), object(message, "integrations"));
        event.setIntegrations(integrations == null ? null : JsonText.write(integrations));
        event.setChannel(Channels.resolve(event.getContext().getChannel(), envelope.source()));

        String messageId = optionalText(message, "messageId");
        if (messageId != null && messageId.length() > MAX_MESSAGE_ID_LENGTH) {
            throw new InvalidMessageException(new Rejection(
                    Rejection.INVALID_VALUE,
                    "messageId",
                    "messageId is longer than " + MAX_MESSAGE_ID_LENGTH + " characters"));
        }
        event.setMessageId(
                messageId == null || messageId.isEmpty() ? UUID.randomUUID().toString() : messageId);

        Instant original = timestamp(message, "originalTimestamp");
        if (original == null) {
            original = timestamp(message, "timestamp");
        }
        Instant sentAt = timestamp(message, "sentAt");
        if (sentAt == null) {
            sentAt = envelope.batchSentAt();
        }
        event.setOriginalTimestamp(EventTime.millis(original));
        event.setSentAt(EventTime.millis(sentAt));
        event.setTimestamp(EventTime.resolve(envelope.receivedAt(), original, sentAt));
        return event.build();
    }

    /** The Kafka key of an event: userId, else anonymousId. */
    public static String routingKey(TouchpointEvent event) {
        return event.getUserId() != null ? event.getUserId() : event.getAnonymousId();
    }

    /** Reads an ISO-8601 field; null when absent. */
    public static Instant timestamp(ObjectNode message, String field) {
        JsonNode v = message.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidMessageException(
                    new Rejection(Rejection.INVALID_TIMESTAMP, field, field + " must be an ISO-8601 date-time string"));
        }
        return Iso8601.parse(v.textValue())
                .orElseThrow(() -> new InvalidMessageException(new Rejection(
                        Rejection.INVALID_TIMESTAMP,
                        field,
                        field + " is not an ISO-8601 date-time: " + clip(v.textValue()))));
    }

    /** Reads an optional object field; null when absent. */
    public static ObjectNode object(ObjectNode message, String field) {
        JsonNode v = message.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new InvalidMessageException(Rejection.invalidType(field, "an object"));
        }
        return (ObjectNode) v;
    }

    private static String objectText(ObjectNode message, String field) {
        ObjectNode o = object(message, field);
        return o == null ? null : JsonText.write(o);
    }

    /** A shallow merge: the batch-level keys, overridden by the message's own. */
    private static ObjectNode merged(ObjectNode batchLevel, ObjectNode own) {
        if (batchLevel == null || batchLevel.isEmpty()) {
            return own;
        }
        ObjectNode out = batchLevel.deepCopy();
        if (own != null) {
            for (Map.Entry<String, JsonNode> e : own.properties()) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** An identifier: a non-empty string, or an integer kept as its decimal text; null when absent. */
    private static String identity(ObjectNode message, String field) {
        JsonNode v = message.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            String s = v.textValue();
            return s.isEmpty() ? null : s;
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        throw new InvalidMessageException(Rejection.invalidType(field, "a string"));
    }

    private static String optionalText(ObjectNode message, String field) {
        JsonNode v = message.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidMessageException(Rejection.invalidType(field, "a string"));
        }
        return v.textValue();
    }

    private static String requiredText(ObjectNode message, String field, String why) {
        String s = optionalText(message, field);
        return required(s == null || s.isEmpty() ? null : s, field, why);
    }

    private static String required(String value, String field, String why) {
        if (value == null) {
            throw new InvalidMessageException(Rejection.missing(field, why + " (" + field + " is missing or empty)"));
        }
        return value;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
