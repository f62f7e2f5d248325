package io.cxflow.collector.http;

import io.cxflow.collector.message.MessageType;

/** The tracking endpoints: one per message type, plus batch and import (the same as batch). */
public enum Route {
    TRACK(MessageType.TRACK),
    IDENTIFY(MessageType.IDENTIFY),
    PAGE(MessageType.PAGE),
    SCREEN(MessageType.SCREEN),
    GROUP(MessageType.GROUP),
    ALIAS(MessageType.ALIAS),
    BATCH(null),
    IMPORT(null);

    private final MessageType type;

    Route(MessageType type) {
        this.type = type;
    }

    /** The message type of a single-message route; null for batch and import. */
    public MessageType type() {
        return type;
    }

    public boolean isBatch() {
        return type == null;
    }

    /** The long path, e.g. {@code /v1/track}. */
    public String path() {
        return "/v1/" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The one-letter path browser SDKs use ({@code /v1/t}, {@code /v1/b}); import has none. */
    public String shortPath() {
        return switch (this) {
            case BATCH -> "/v1/b";
            case IMPORT -> null;
            default -> "/v1/" + type.shortPath();
        };
    }

    /** The name used in metric tags. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
