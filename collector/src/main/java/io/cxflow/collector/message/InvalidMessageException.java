package io.cxflow.collector.message;

import java.util.Objects;

/** Thrown when a message breaks a rule; carries the {@link Rejection} answered to the client. */
public final class InvalidMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Rejection rejection;

    public InvalidMessageException(Rejection rejection) {
        super(Objects.requireNonNull(rejection, "rejection").message(), null, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
