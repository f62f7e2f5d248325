package io.cxflow.activation.dispatch;

/** A result of a decision could not be made durable; the membership change is not done and runs again. */
final class ResultWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResultWriteException(Throwable cause) {
        super(cause);
    }
}
