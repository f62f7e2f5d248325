package io.cxflow.collector.message;

import io.cxflow.avro.EventType;
import java.util.Locale;
import java.util.Optional;

/** The six Segment message types, their API paths and their Avro counterpart. */
public enum MessageType {
    TRACK("track", "t", EventType.TRACK),
    IDENTIFY("identify", "i", EventType.IDENTIFY),
    PAGE("page", "p", EventType.PAGE),
    SCREEN("screen", "s", EventType.SCREEN),
    GROUP("group", "g", EventType.GROUP),
    ALIAS("alias", "a", EventType.ALIAS);

    private final String wireName;
    private final String shortPath;
    private final EventType avro;

    MessageType(String wireName, String shortPath, EventType avro) {
        this.wireName = wireName;
        this.shortPath = shortPath;
        this.avro = avro;
    }

    /** The {@code type} value and path segment, e.g. {@code track}. */
    public String wireName() {
        return wireName;
    }

    /** The one-letter path browser SDKs use, e.g. {@code t} for {@code /v1/t}. */
    public String shortPath() {
        return shortPath;
    }

    public EventType avro() {
        return avro;
    }

    /** The type named by a message's {@code type} field (case-insensitive), or empty. */
    public static Optional<MessageType> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (MessageType t : values()) {
            if (t.wireName.equals(lower)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
