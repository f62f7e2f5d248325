package io.cxflow.collector.message;

import java.util.Objects;

/**
 * Why a message was refused.
 *
 * @param code machine-readable reason, e.g. {@code missing_field}
 * @param field the offending field (dotted path), or {@code null} when no single field is to blame
 * @param message human-readable explanation naming the field
 */
public record Rejection(String code, String field, String message) {

    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    public static final String MESSAGE_TOO_LARGE = "message_too_large";
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String INVALID_UTF8 = "invalid_utf8";

    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    static Rejection missing(String field, String message) {
        return new Rejection(MISSING_FIELD, field, message);
    }

    static Rejection invalidType(String field, String expected) {
        return new Rejection(INVALID_TYPE, field, field + " must be " + expected);
    }
}
