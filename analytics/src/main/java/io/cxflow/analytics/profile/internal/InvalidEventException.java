package io.cxflow.analytics.profile.internal;

import java.util.Objects;

/**
 * An event the profile aggregation cannot accept; it is routed to {@code cx.events.rejected.v1} with
 * {@link #code()}, {@link #field()} and the message as reason.
 */
public final class InvalidEventException extends RuntimeException {

    private final String code;
    private final String field;

    public InvalidEventException(String code, String field, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** Machine-readable reason, e.g. {@code missing_field}. */
    public String code() {
        return code;
    }

    /** The offending field, or {@code null} when no single field is to blame. */
    public String field() {
        return field;
    }
}
