package io.cxflow.collector.importer;

import java.io.IOException;

/**
 * An import stopped: the file cannot be read as its format says, or the broker stayed unavailable longer
 * than the retry time. Rows acknowledged before the stop are on the topic; running the same import again
 * is safe, since their messageIds are derived from the rows and duplicates are removed downstream.
 */
public final class ImportException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long acceptedSoFar;

    public ImportException(String message, long acceptedSoFar, Throwable cause) {
        super(message, cause);
        this.acceptedSoFar = acceptedSoFar;
    }

    /** Rows acknowledged by the broker before the import stopped. */
    public long acceptedSoFar() {
        return acceptedSoFar;
    }
}
