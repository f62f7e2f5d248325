package io.cxflow.activation.workflow;

/**
 * A workflow could not be read or written right now; the request may be repeated. {@link #kind()}
 * says what happened, so the HTTP layer can answer precisely.
 */
public final class WorkflowStoreException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The in-memory view has not yet read the topic up to where it was at start-up. */
        NOT_READY,
        /** The write was not acknowledged by the brokers in time, or was refused. */
        WRITE_FAILED,
        /** The write is stored, but the view did not show it within the bound. */
        NOT_YET_VISIBLE
    }

    private final Kind kind;

    public WorkflowStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
