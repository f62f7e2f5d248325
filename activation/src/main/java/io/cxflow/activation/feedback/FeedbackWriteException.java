package io.cxflow.activation.feedback;

/**
 * A feedback write (an event on {@code cx.events.v1}, a recipient on the directory) was refused or not
 * acknowledged in time. Nothing is known to be durable; the caller may repeat it (every feedback
 * event has a deterministic {@code messageId} or is idempotent by nature).
 */
public final class FeedbackWriteException extends RuntimeException {

    public FeedbackWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
