package io.cxflow.collector.publish;

/**
 * The broker did not acknowledge every record of a request in time (or could not be reached, or the
 * in-flight limit was full). The client gets 503 with {@code Retry-After} and may resend: duplicates are
 * removed downstream by {@code messageId}.
 */
public final class PublishUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Waiting for room below the in-flight byte limit took longer than the request's budget. */
    public static final String IN_FLIGHT_LIMIT = "in_flight_limit";
    /** The broker did not acknowledge within the request's budget. */
    public static final String TIMEOUT = "timeout";
    /** The producer reported a failure. */
    public static final String BROKER_ERROR = "broker_error";
    /** The schema registry could not be reached to serialize the record. */
    public static final String SERIALIZATION = "serialization";
    /** The publisher is closed. */
    public static final String CLOSED = "closed";

    private final String cause;

    public PublishUnavailableException(String cause, String message, Throwable error) {
        super(message, error);
        this.cause = cause;
    }

    /** One of the constants of this class, for metrics. */
    public String causeCode() {
        return cause;
    }
}
